// TendStateTesting holds what tests of state backends share: the ways a state file gets damaged, and snapshots to
// prove a refused file was left alone. It imports TendState, TendModel and SQLite; never config, providers or the
// engine.

import CSQLite
import Foundation
import TendFuzzing
import TendModel
import TendState

/// A way a state file on disk can be damaged or unusable, and how tend must refuse it.
///
/// `apply(to:)` damages an existing tend state file in place (made by tend: `StateFileDamage.makeState(at:resources:)`
/// or a real `tend apply`), after SQLite has closed it (no `-wal` beside it).
public enum StateFileDamage: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Cut to 0 bytes.
    case emptyFile
    /// Cut to half its size, at a page boundary.
    case truncated
    /// 4 KiB of random bytes written over an index page (of the resources' primary key).
    case overwrittenIndexPage
    /// Replaced by a text file.
    case notSQLite
    /// Replaced by another program's SQLite database: tables, but no application id.
    case unmarkedDatabase
    /// Replaced by a SQLite database with another application's id.
    case otherApplication
    /// Marked as written by a newer tend: a schema version this tend does not know.
    case newerSchema
    /// Made read-only (mode 0400): readable, but tend must not write it nor change its mode.
    case readOnly

    public var description: String { rawValue }

    /// The code tend refuses the file with (for a read-only file: when a command writes).
    public var expectedCode: StateError.Code {
        switch self {
        case .emptyFile: .emptyFile
        case .truncated: .truncated
        case .overwrittenIndexPage: .corrupt
        case .notSQLite: .notDatabase
        case .unmarkedDatabase, .otherApplication: .foreign
        case .newerSchema: .newerSchema
        case .readOnly: .readOnly
        }
    }

    /// Words the refusal's message must contain, so a user can tell the cases apart.
    public var expectedPhrase: String {
        switch self {
        case .emptyFile: "is empty (0 bytes)"
        case .truncated: "is truncated"
        case .overwrittenIndexPage: "is damaged"
        case .notSQLite: "is not a SQLite database"
        case .unmarkedDatabase, .otherApplication: "is not tend state"
        case .newerSchema: "newer tend"
        case .readOnly: "is read-only"
        }
    }

    /// Whether commands that only read may still use the file (they may: it is intact, only not writable).
    public var allowsReading: Bool { self == .readOnly }

    /// Damages the state file at `path` in place.
    public func apply(to path: String) throws {
        switch self {
        case .emptyFile:
            try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncateAndClose(at: 0)
        case .truncated:
            let size = try Self.size(of: path)
            let page = try Self.pageSize(of: path)
            try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncateAndClose(at: max(page, size / 2 / page * page))
        case .overwrittenIndexPage:
            try Self.overwritePage(try Self.indexPage(of: path), of: path)
        case .notSQLite:
            try Data(String(repeating: "resources:\n  web: {type: local_file}\n", count: 100).utf8)
                .write(to: URL(fileURLWithPath: path))
        case .unmarkedDatabase, .otherApplication:
            try FileManager.default.removeItem(atPath: path)
            let sql = self == .unmarkedDatabase
                ? "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')"
                : "PRAGMA application_id = 42; CREATE TABLE meta (lineage TEXT); INSERT INTO meta VALUES ('x')"
            try Self.execute(sql, on: path)
        case .newerSchema:
            try Self.execute("PRAGMA user_version = 99", on: path)
        case .readOnly:
            guard chmod(path, 0o400) == 0 else { throw DamageError("chmod \(path): \(String(cString: strerror(errno)))") }
        }
    }

    /// Creates a tend state at `path` holding `resources` resources (each with a history row and an audit row), so
    /// its tables and indexes span many pages; each file's content is padded to `contentBytes`.
    public static func makeState(at path: String, resources: Int, contentBytes: Int = 0) throws {
        let store = SQLiteStateStore(path: path, createIfMissing: true)
        let version = try store.advanceSerial(from: nil)
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        for index in 0..<resources {
            let address = ResourceAddress(name: "file", key: .index(index))
            let attributes: [String: Value] = [
                "path": .string("/srv/out/file-\(index).conf"), "content": .string(Self.content(index, bytes: contentBytes)), "mode": .string("0644"),
            ]
            let record = ResourceRecord(address: address, type: "local_file", provider: "local", id: "/srv/out/file-\(index).conf",
                                        attributes: attributes, updatedAt: date)
            let history = HistoryEntry(serial: version.serial, runID: 1, address: address, action: "create", before: nil,
                                       after: attributes, at: date)
            try store.put(record, history: history, audit: AuditDraft(who: "test", action: "create",
                                                                      target: address.description, result: "ok", at: date))
        }
    }

    /// Writes 4 KiB of random bytes over page `page` (counted from 1) of the database at `path`, at its page boundary.
    public static func overwritePage(_ page: UInt64, of path: String) throws {
        precondition(page > 1, "page 1 holds the header and schema; damage it with .notSQLite instead")
        let pageSize = try Self.pageSize(of: path)
        var generator = FuzzRandom(seed: 7 &+ page)
        let noise = Data((0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: (page - 1) * pageSize)
        try handle.write(contentsOf: noise)
        try handle.close()
    }

    /// The root page of `index` (by default the resources' primary key, which every lookup and insert by address
    /// reads; `history_by_address` is read first by the history row of an apply's first finished operation).
    public static func indexRootPage(of path: String, index: String = "sqlite_autoindex_resources_1") throws -> UInt64 {
        guard let root = try query("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND name = '\(index)'",
                                   on: path).first, root > 1 else {
            throw DamageError("\(path) has no index \(index)")
        }
        return UInt64(root)
    }

    private static func content(_ index: Int, bytes: Int) -> String {
        let line = "line \(index)\n"
        return bytes <= line.utf8.count ? line : line + String(repeating: "x", count: bytes - line.utf8.count)
    }

    // MARK: Reading the file's layout

    static func size(of path: String) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.uint64Value ?? 0
    }

    static func pageSize(of path: String) throws -> UInt64 {
        try query("PRAGMA page_size", on: path).first.map(UInt64.init) ?? 4096
    }

    /// A page of the resources' primary-key index that is not page 1: a leaf from `dbstat` when SQLite has it,
    /// else the index's root page.
    static func indexPage(of path: String) throws -> UInt64 {
        let index = "sqlite_autoindex_resources_1"
        // A SQLite built without the dbstat table refuses the query: the root page below is the fallback for that.
        let leaves = (try? query("SELECT pageno FROM dbstat WHERE name = '\(index)' AND pagetype = 'leaf' ORDER BY pageno",
                                 on: path)) ?? []
        if !leaves.isEmpty { return UInt64(leaves[leaves.count / 2]) }
        return try indexRootPage(of: path)
    }

    /// Runs `sql` on a connection of its own, closed (and its side files removed) before returning.
    static func execute(_ sql: String, on path: String) throws {
        try withDatabase(path) { handle in
            var message: UnsafeMutablePointer<CChar>?
            defer { sqlite3_free(message) }
            guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
                throw DamageError("\(sql): \(message.map { String(cString: $0) } ?? "failed")")
            }
        }
    }

    /// The first column of every row of `sql`, as integers.
    static func query(_ sql: String, on path: String) throws -> [Int64] {
        try withDatabase(path) { handle in
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
                sqlite3_finalize(statement)
                throw DamageError("\(sql): \(String(cString: sqlite3_errmsg(handle)))")
            }
            defer { sqlite3_finalize(statement) }
            var values: [Int64] = []
            while sqlite3_step(statement) == SQLITE_ROW { values.append(sqlite3_column_int64(statement, 0)) }
            return values
        }
    }

    private static func withDatabase<T>(_ path: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let handle else {
            sqlite3_close_v2(handle)
            throw DamageError("cannot open \(path)")
        }
        defer { sqlite3_close_v2(handle) }
        return try body(handle)
    }
}

/// A failure to damage a file as asked.
public struct DamageError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension FileHandle {
    fileprivate func truncateAndClose(at size: UInt64) throws {
        try truncate(atOffset: size)
        try close()
    }
}
