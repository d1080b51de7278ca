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

    /// Opens (creating when missing) the state database at `path`, checks that it is tend's, and migrates it.
    static func open(path: String) throws -> SQLiteDatabase {
        if FileManager.default.fileExists(atPath: path) {
            try checkHeader(path: path)
            let inspector = try SQLiteDatabase(path: path, mode: .readOnly)
            _ = try inspector.withConnection { try classify(on: $0) }
        } else {
            try createParentDirectories(of: path)
            try createPrivateFile(path: path)
        }
        let database = try SQLiteDatabase(path: path, mode: .readWrite)
        try database.withConnection { connection in
            try connection.execute("PRAGMA foreign_keys = ON")
            try enableWAL(on: connection)
            try connection.execute("PRAGMA synchronous = NORMAL")
        }
        try migrate(database)
        restrictPermissions(path: path)
        return database
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

    /// Refuses a non-empty file that does not start with SQLite's magic header, before SQLite touches it.
    static func checkHeader(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StateError(.io, "\(path): cannot be read")
        }
        // Closing a handle opened only for reading loses nothing, so its failure needs no report.
        defer { try? handle.close() }
        let header: Data
        do {
            header = try handle.read(upToCount: 16) ?? Data()
        } catch {
            throw StateError(.io, "\(path): cannot be read: \(error.localizedDescription)")
        }
        guard header.isEmpty || header == Data("SQLite format 3\0".utf8) else {
            throw StateError(.corrupt, "\(path) is not a SQLite database (damaged, or some other file); tend did not modify it")
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
                throw StateError(.foreign, "\(path) was written by a newer tend (state schema \(userVersion); this tend "
                    + "knows up to \(SchemaMigration.currentVersion)); upgrade tend. tend did not modify it")
            }
            return .tend(version: userVersion)
        }
        if applicationID == 0, userVersion == 0, objectCount == 0 { return .empty }
        let marker = applicationID == 0 ? "no application_id" : "application_id \(applicationID)"
        throw StateError(.foreign, "\(path) is a SQLite database that is not tend state (\(marker), \(objectCount) "
            + "schema objects); tend did not modify it")
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
