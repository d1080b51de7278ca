// Opens a shared library at run time and finds the functions a caller needs, for the C targets that open theirs on
// first use rather than linking it (CCurl, CPostgres).
#ifndef TEND_CLIBRARYLOADER_H
#define TEND_CLIBRARYLOADER_H

#include <stddef.h>

/// A function to find: its name in the library, and where its address goes.
typedef struct {
    const char *name;
    void **slot;
} tend_library_symbol;

/// Opens `soname` (`RTLD_NOW | RTLD_LOCAL`) and fills every symbol's slot. Returns 1 when all were found; else 0,
/// with why in `failure` (`size` bytes): the loader's reason, or the first function the library lacks; `install`
/// says what to install.
int tend_library_load(const char *soname, const tend_library_symbol *symbols, size_t count, const char *install,
                      char *failure, size_t size);

#endif
