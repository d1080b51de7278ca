// The C library's allocator controls (glibc): malloc_trim returns freed pages to the operating system.
#if defined(__linux__)
#include <malloc.h>
#endif
