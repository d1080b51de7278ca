/// An error from the state store, with a code and where it was thrown.
public struct StateError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The lock is held by someone else.
        case locked
        /// The lock holder's process is gone; `tend force-unlock ID` clears it.
        case staleLock = "stale_lock"
        /// No lock with that id.
        case noSuchLock = "no_such_lock"
        /// The file is not a SQLite database, or is damaged.
        case corrupt
        /// A SQLite database, but not tend's (or a newer schema than this tend knows).
        case foreign
        /// The resource an edit names is not in state.
        case notFound = "not_found"
        /// An edit would overwrite something already in state.
        case conflict
        /// Any other SQLite or file-system failure.
        case io
    }

    public var code: Code
    public var message: String
    /// SQLite's result code, when a SQLite call failed.
    public var sqliteCode: Int32?
    public var file: String
    public var line: Int

    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { message }
}
