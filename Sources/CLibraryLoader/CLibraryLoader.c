#include "CLibraryLoader.h"

#include <dlfcn.h>
#include <stdio.h>

int tend_library_load(const char *soname, const tend_library_symbol *symbols, size_t count, const char *install,
                      char *failure, size_t size) {
    void *library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(failure, size, "cannot load %s: %s; install %s", soname, reason ? reason : "not found", install);
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        *symbols[i].slot = dlsym(library, symbols[i].name);
        if (*symbols[i].slot == NULL) {
            snprintf(failure, size, "%s has no %s", soname, symbols[i].name);
            return 0;
        }
    }
    return 1;
}
