import Foundation

extension LockInfo {
    /// Whether the holder ran on this host and its process no longer exists.
    public var isStale: Bool {
        host == LocalHost.name && !LocalHost.isProcessRunning(pid: pid)
    }

    /// The error for someone else trying to take a lock this one holds: `.staleLock` or `.locked`.
    func conflictError() -> StateError {
        let holderText = "\(holder) for \(operation) (pid \(pid) on \(host), since \(since.ISO8601Format()), lock ID \(id))"
        if isStale {
            return StateError(.staleLock, "state is locked by \(holderText), but the holder process is gone; "
                + "if no other tend is running, run `tend force-unlock \(id)`")
        }
        return StateError(.locked, "state is locked by \(holderText)")
    }
}
