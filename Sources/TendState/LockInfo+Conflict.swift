import Foundation
import TendModel

extension LockInfo {
    /// Whether the holder ran on this host and is certainly gone: no process has its pid, the pid now belongs to
    /// a process that started at another time (pid reuse), or the machine rebooted since. A holder on another host
    /// is never stale: tend cannot see its processes.
    public var isStale: Bool {
        host == LocalHost.name && LocalProcess.isGone(pid: pid, identity: process)
    }

    /// Who holds the lock, for messages and the audit log: `user@host for apply (pid 42 on host, since …, lock ID …)`.
    public var holderDescription: String {
        "\(holder) for \(operation) (pid \(pid) on \(host), since \(since.ISO8601Format()), lock ID \(id))"
    }

    /// The error for someone else trying to take a lock this one holds: `.staleLock` or `.locked`.
    func conflictError() -> StateError {
        if isStale {
            return StateError(.staleLock, "state is locked by \(holderDescription), but the holder process is gone; "
                + "if no other tend is running, run `tend force-unlock \(id)`")
        }
        if host != LocalHost.name {
            return StateError(.locked, "state is locked by \(holderDescription); tend cannot tell whether a process on "
                + "\(host) is still running, so it never breaks this lock by itself: wait for it (--lock-timeout), "
                + "or, if that run is gone, run `tend force-unlock \(id)`")
        }
        return StateError(.locked, "state is locked by \(holderDescription), which is still running; "
            + "wait for it with --lock-timeout DURATION (e.g. --lock-timeout 2m)")
    }
}
