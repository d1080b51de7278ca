import CSQLite

/// The errors for state files tend will not use: each says what is wrong, which file, and what to do.
extension StateError {
    /// What to do about a damaged file, the tail of every damage message.
    static func restoreAdvice(_ path: String) -> String {
        "Restore the file from a backup; if there is none, `sqlite3 \(path) .recover > recovered.sql` may salvage "
            + "its rows. tend will not use it as it is."
    }

    static func emptyFile(_ path: String) -> StateError {
        StateError(.emptyFile, "the state file \(path) is empty (0 bytes), so it holds no state: if the state was lost, "
            + "restore it from a backup; if this is meant to be a new state, remove the empty file. tend did not modify it.")
    }

    static func notDatabase(_ path: String) -> StateError {
        StateError(.notDatabase, "the state file \(path) is not a SQLite database: it does not start with SQLite's "
            + "header (some other file, or a state whose first page was overwritten). Check that --state names the "
            + "right file. " + restoreAdvice(path) + " tend did not modify it.")
    }

    static func truncated(_ path: String, size: Int64, expected: Int64) -> StateError {
        StateError(.truncated, "the state file \(path) is truncated: it has \(size) bytes, but its header says "
            + "\(expected) (a copy that did not finish, or a full disk). " + restoreAdvice(path) + " tend did not modify it.")
    }

    static func damaged(_ path: String, problems: [String]) -> StateError {
        let shown = problems.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
        let more = problems.count > 3 ? " and more" : ""
        var error = StateError(.corrupt, "the state database \(path) is damaged: SQLite's integrity check found "
            + "\(shown)\(more). " + restoreAdvice(path) + " tend did not modify it.")
        error.stopsWriting = true
        return error
    }

    static func readOnly(_ path: String, mode: Int) -> StateError {
        let octal = String(mode, radix: 8)
        return StateError(.readOnly, "the state file \(path) is read-only (mode \(octal)) and this command writes state: "
            + "tend does not change a state file's permissions. Make it writable (chmod 600 \(path)) to go on; "
            + "commands that only read (plan, state list, state show, history, audit, report) work as it is.")
    }

    static func readOnlyNeedsUpgrade(_ path: String, version: Int32) -> StateError {
        StateError(.readOnly, "the state file \(path) is read-only, and its schema (version \(version)) must be upgraded "
            + "to \(SchemaMigration.currentVersion) before this tend can read it: make it writable (chmod 600 \(path)). "
            + "tend did not modify it.")
    }

    static func newerSchema(_ path: String, version: Int32) -> StateError {
        StateError(.newerSchema, "the state file \(path) was written by a newer tend (state schema \(version); this tend "
            + "knows up to \(SchemaMigration.currentVersion)): upgrade tend to use it. tend did not modify it.")
    }

    static func foreign(_ path: String, marker: String, objects: Int64) -> StateError {
        StateError(.foreign, "the state file \(path) is a SQLite database that is not tend state (\(marker), \(objects) "
            + "schema objects): check that --state names the right file. tend did not modify it.")
    }

    /// A later use of a store that met damage earlier in this process.
    static func stoppedAfterDamage(_ path: String, first: StateError) -> StateError {
        var error = StateError(first.code, "tend stopped using the state database \(path) after it was found damaged "
            + "earlier in this run (\(first.message))")
        error.sqliteCode = first.sqliteCode
        error.stopsWriting = true
        return error
    }

    /// Whether SQLite result `code` means the file can no longer be trusted: corruption, a file that is not a
    /// database (any more), an I/O error, or a file moved away under the open connection.
    static func isDamage(sqliteCode code: Int32) -> Bool {
        let primary = code & 0xff
        return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || primary == SQLITE_IOERR
            || code == SQLITE_READONLY | (4 << 8)   // SQLITE_READONLY_DBMOVED, a macro Swift does not import
    }
}
