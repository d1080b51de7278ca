import CSQLite
import Foundation

extension SQLiteStateStore {
    /// What an existing file turned out to be.
    enum FileKind: Equatable {
        /// An empty SQLite database (or an empty file): tend may create its schema.
        case empty
        /// A tend state database at this schema version.
        case tend(version: Int32)
    }

    /// Opens an existing state file that `check` inspected, for reading and writing: verifies it (without writing),
    /// then switches it to WAL, migrates it and keeps it private.
    static func open(_ check: StateFileCheck, depth: StateFileCheck.Depth, history: Bool) throws -> SQLiteDatabase {
        _ = try check.verify(depth, history: history)
        let database = try SQLiteDatabase(path: check.path, mode: .readWrite)
        try database.withConnection { connection in
            try connection.execute("PRAGMA foreign_keys = ON")
            try enableWAL(on: connection)
            try connection.execute("PRAGMA synchronous = NORMAL")
        }
        try migrate(database)
        restrictPermissions(path: check.path)
        return database
    }

    /// Opens an existing state file whose permissions forbid writing, for reading only: nothing is written to it or
    /// beside it. Its schema must be current, since upgrading it would mean writing.
    static func openReadOnly(_ check: StateFileCheck, depth: StateFileCheck.Depth, history: Bool) throws -> SQLiteDatabase {
        switch try check.verify(depth, history: history) {
        case let .tend(version) where version == SchemaMigration.currentVersion: break
        case let .tend(version): throw StateError.readOnlyNeedsUpgrade(check.path, version: version)
        case .empty: throw StateError.readOnlyNeedsUpgrade(check.path, version: 0)
        }
        return try SQLiteDatabase(path: check.path, mode: check.hasJournal ? .readOnly : .immutable)
    }

    /// Creates a new, empty state at `path` (and its missing parent directories) all at once: the schema is made
    /// in a temporary file beside it, which is then linked into place, so no other process ever sees a half-made
    /// state, and an empty file at `path` is never tend's own. When another process creates the state first, its
    /// state is kept and this one is discarded.
    static func createState(path: String) throws {
        try createParentDirectories(of: path)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tend-new-\(UUID().uuidString.prefix(8).lowercased())").path
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
        }
        try createPrivateFile(path: temporary)
        try makeSchema(at: temporary)
        guard link(temporary, path) != 0 else { return }
        let failure = errno
        if failure == EEXIST { return }
        // A file system without hard links: rename, which replaces a state created meanwhile, so look just before.
        if [EPERM, ENOTSUP, EOPNOTSUPP, ENOSYS].contains(failure) {
            if FileManager.default.fileExists(atPath: path) { return }
            if rename(temporary, path) == 0 { return }
        }
        throw StateError(.io, "\(path): cannot create the state file: \(String(cString: strerror(failure)))")
    }

    /// Writes the current schema into the new file at `path` with a rollback journal, so that every byte is in the
    /// file itself when it closes, and only then marks it WAL.
    private static func makeSchema(at path: String) throws {
        let database = try SQLiteDatabase(path: path, mode: .readWrite)
        try migrate(database)
        try database.withConnection { try enableWAL(on: $0) }
    }

    /// Switches the file to WAL (a lasting property of the file) unless it is already. The switch needs the file to
    /// itself, and SQLite answers "busy" at once rather than waiting, so while another process (a second tend creating
    /// the same state) holds it, the switch is tried again for up to five seconds, like every other lock wait.
    static func enableWAL(on connection: SQLiteConnection) throws {
        let deadline = Date().addingTimeInterval(5)
        while true {
            if try connection.queryFirst("PRAGMA journal_mode", row: { $0.text(0) }) == "wal" { return }
            do {
                try connection.execute("PRAGMA journal_mode = WAL")
                return
            } catch let error as StateError where error.sqliteCode.map({ $0 & 0xff }) == SQLITE_BUSY && Date() < deadline {
                usleep(20_000)
            }
        }
    }

    /// Reads the markers of an open database and says whether tend may use it.
    static func classify(on connection: SQLiteConnection) throws -> FileKind {
        let path = connection.path
        // One statement, so the three are read from one snapshot even while another process creates the schema.
        let markers = try connection.queryFirst("""
            SELECT (SELECT application_id FROM pragma_application_id()), (SELECT user_version FROM pragma_user_version()),
                   (SELECT count(*) FROM sqlite_master)
            """) { (Int32(truncatingIfNeeded: $0.int64(0)), Int32(truncatingIfNeeded: $0.int64(1)), $0.int64(2)) }
        let (applicationID, userVersion, objectCount) = markers ?? (0, 0, 0)
        if applicationID == SchemaMigration.applicationID {
            guard userVersion <= SchemaMigration.currentVersion else {
                throw StateError.newerSchema(path, version: userVersion)
            }
            return .tend(version: userVersion)
        }
        if applicationID == 0, userVersion == 0, objectCount == 0 { return .empty }
        let marker = applicationID == 0 ? "no application_id" : "application_id \(applicationID)"
        throw StateError.foreign(path, marker: marker, objects: objectCount)
    }

    /// Applies every migration newer than the database, in one transaction; a no-op when already current.
    static func migrate(_ database: SQLiteDatabase) throws {
        let current = SchemaMigration.currentVersion
        guard try database.withConnection({ try classify(on: $0) }) != .tend(version: current) else { return }
        try database.transaction { connection in
            let from: Int32
            switch try classify(on: connection) {
            case .empty: from = 0
            case let .tend(version): from = version
            }
            for step in SchemaMigration.all where step.version > from {
                for statement in step.statements { try connection.execute(statement) }
            }
            try connection.execute("PRAGMA application_id = \(SchemaMigration.applicationID)")
            try connection.execute("PRAGMA user_version = \(current)")
        }
    }

    /// Creates missing parent directories; a `.tend` directory gets mode 0700.
    static func createParentDirectories(of path: String) throws {
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
        var missing: [URL] = []
        var current = parent
        while !FileManager.default.fileExists(atPath: current.path), current.pathComponents.count > 1 {
            missing.insert(current, at: 0)
            current = current.deletingLastPathComponent()
        }
        for directory in missing {
            let mode: Int16 = directory.lastPathComponent == ".tend" ? 0o700 : 0o755
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                        attributes: [.posixPermissions: mode])
            } catch CocoaError.fileWriteFileExists {
                continue
            } catch {
                throw StateError(.io, "\(directory.path): cannot create directory: \(error.localizedDescription)")
            }
        }
    }

    /// Creates an empty file readable and writable by its owner only.
    static func createPrivateFile(path: String) throws {
        let descriptor = Foundation.open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StateError(.io, "\(path): cannot create file: \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        chmod(path, 0o600)
    }

    /// Keeps the database and its WAL files at mode 0600.
    static func restrictPermissions(path: String) {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            chmod(path + suffix, 0o600)
        }
    }
}
