import Synchronization

/// Removes stale temporary files (see `TemporaryFile`) from each directory the provider writes into or deletes
/// from, once per directory for the provider's lifetime: a run that writes two thousand files into one directory
/// lists it once.
final class TemporaryFileSweeper: Sendable {
    private let swept = Mutex<Set<String>>([])

    /// Sweeps `directory` unless this sweeper already did.
    func sweepOnce(_ directory: String) {
        let isFirst = swept.withLock { $0.insert(directory).inserted }
        if isFirst { TemporaryFile.removeStale(in: directory) }
    }
}
