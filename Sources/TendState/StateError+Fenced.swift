extension StateError {
    /// The error for a write by a store whose lease `lease` on `place` was lost: `now` says who holds the lock now
    /// (see `fencedHolder`), nil when it was released or broken since. It stops the run (`stopsWriting`): nothing more
    /// may be written or sent to providers by a holder that lost its lock.
    static func fenced(_ lease: HeldLease, of place: String, now: String?, file: String = #fileID, line: Int = #line) -> StateError {
        var error = StateError(.fenced, "the state lock \(lease.id) of \(place) is no longer this process's "
            + "(fencing token \(lease.token)): its lease ran out and \(now ?? "it has been released or broken since"); "
            + "nothing was written. Run the command again.", file: file, line: line)
        error.stopsWriting = true
        return error
    }

    /// Who holds a lock now, for `fenced(_:of:now:)`.
    static func fencedHolder(_ holder: String, pid: Int64, host: String, id: String, token: Int64) -> String {
        "it is now held by \(holder) (pid \(pid) on \(host), lock ID \(id), fencing token \(token))"
    }
}
