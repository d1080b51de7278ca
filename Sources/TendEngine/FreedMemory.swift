#if canImport(Glibc)
import CMalloc
#endif

/// Returning memory the process freed to the operating system.
enum FreedMemory {
    /// Hands whole free pages back (glibc's malloc_trim). After a plan shares the configuration's strings with
    /// the state's, the state's copies are free but stay resident in the allocator's per-thread arenas; giving
    /// them back keeps the rest of the run from growing the resident set on top of them. A no-op elsewhere.
    static func release() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }
}
