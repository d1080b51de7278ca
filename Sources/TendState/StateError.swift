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
        /// The state moved on since it was read: a compare-and-swap of the serial found another lineage or serial than
        /// the one it expected (another apply advanced it first).
        case stale
        /// Any other SQLite, PostgreSQL or file-system failure.
        case io
        /// `--state` (or `TEND_STATE`) is neither a usable path nor a valid `postgres://` URL.
        case invalidLocation = "invalid_location"
        /// The PostgreSQL server could not be reached, or refused the connection (authentication, no such database).
        case unreachable
        /// A write by a lock holder whose lease was taken over: its fencing token is no longer the current one.
        case fenced
        /// The state is encrypted and no state key was given (docs/state-encryption.md).
        case keyMissing = "key_missing"
        /// The state key given is not the one the state is encrypted with.
        case wrongKey = "wrong_key"
        /// A state key (or key file) that cannot be used: not 32 bytes, unreadable, or open to others.
        case invalidKey = "invalid_key"
    }

    public var code: Code
    public var message: String
    /// SQLite's result code, when a SQLite call failed.
    public var sqliteCode: Int32?
    /// PostgreSQL's SQLSTATE, when a PostgreSQL call failed.
    public var sqlState: String?
    /// Whether the database can no longer be trusted: after such an error the store writes nothing more, and apply
    /// sends nothing more to providers.
    public var stopsWriting = false
    /// Whether a PostgreSQL connection broke (server restarted, connection reset): the operation may be retried on a
    /// new connection.
    var isConnectionLoss = false
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
