/// An error from the state store, with a code and where it was thrown.
public struct StateError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The lock is held by someone else.
        case locked
        /// The lock holder's process is gone; `tend force-unlock ID` clears it.
        case staleLock = "stale_lock"
        /// No lock with that id.
        case noSuchLock = "no_such_lock"
        /// A damaged state: the database fails SQLite's integrity check, SQLite reported corruption, or a column
        /// holds something tend never writes.
        case corrupt
        /// The state file is shorter than its own header says: it was cut off (a failed copy, a full disk).
        case truncated
        /// The state file exists but holds no bytes at all.
        case emptyFile = "empty_file"
        /// The file does not start with SQLite's header: some other file, or one whose first page was overwritten.
        case notDatabase = "not_a_database"
        /// A SQLite database, but not tend's.
        case foreign
        /// A tend state written by a newer tend, with a schema this tend does not know.
        case newerSchema = "newer_schema"
        /// The state file's permissions forbid writing, and the command needs to write.
        case readOnly = "read_only"
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
    /// Whether the database can no longer be trusted: after such an error the store writes nothing more, and apply
    /// sends nothing more to providers.
    public var stopsWriting = false
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
