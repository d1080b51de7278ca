import Foundation
@testable import TendState
import TendModel
import TendStateTesting
import Testing

/// Damaged and odd state files are refused before anything is written, each with its own error, and left exactly as
/// they were; damage met while a store is open stops every later write.
@Suite struct StateFileIntegrityTests {
    /// A state with enough rows that its primary-key index spans several pages.
    static let resourceCount = 400

    @Test(arguments: StateFileDamage.allCases)
    func refusesADamagedFileAndLeavesItAlone(damage: StateFileDamage) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        try StateFileDamage.makeState(at: path, resources: Self.resourceCount)
        try damage.apply(to: path)
        let before = try StateFileSnapshot(path: path)

        for createIfMissing in [false, true] {
            let store = SQLiteStateStore(path: path, createIfMissing: createIfMissing)
            if damage.allowsReading {
                #expect(try store.resources().count == Self.resourceCount)
                #expect(try store.auditLog().count == Self.resourceCount)
            } else {
                let readError = #expect(throws: StateError.self) { try store.resources() }
                Self.expectRefusal(readError, damage, path: path)
            }
            let writeError = #expect(throws: StateError.self) { try store.lock(StateSample.lock()) }
            Self.expectRefusal(writeError, damage, path: path)
            let initializeError = #expect(throws: StateError.self) { _ = try store.initialize() }
            #expect(initializeError?.code == damage.expectedCode)
        }
        #expect(try StateFileSnapshot(path: path) == before, "the refused file and its directory are unchanged")
    }

    static func expectRefusal(_ error: StateError?, _ damage: StateFileDamage, path: String,
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(error?.code == damage.expectedCode, sourceLocation: sourceLocation)
        #expect(error?.message.contains(path) == true, "names the file: \(error?.message ?? "")", sourceLocation: sourceLocation)
        #expect(error?.message.contains(damage.expectedPhrase) == true, "\(error?.message ?? "")", sourceLocation: sourceLocation)
    }

    /// The overwritten page belongs to an index that plain reads never visit: only the check finds it.
    @Test func anOverwrittenIndexPageIsFoundOnlyByTheIntegrityCheck() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        try StateFileDamage.makeState(at: path, resources: Self.resourceCount)
        try StateFileDamage.overwrittenIndexPage.apply(to: path)

        let raw = try SQLiteDatabase(path: path, mode: .immutable)
        let count = try raw.withConnection { try $0.queryFirst("SELECT count(*) FROM resources NOT INDEXED") { $0.int64(0) } }
        #expect(count == Int64(Self.resourceCount), "a table scan still reads every row")
        let problems = try raw.withConnection { try $0.query("PRAGMA quick_check") { $0.text(0) } }
        #expect(problems != ["ok"])
        for depth in [StateFileCheck.Depth.quick, .full] {
            let error = #expect(throws: StateError.self) {
                try SQLiteStateStore(path: path, createIfMissing: false, integrityDepth: depth).version()
            }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("Restore the file from a backup") == true)
        }
    }

    /// The check at open covers every table but the history, which the first use of it checks: a read of the
    /// history checks it at the open's depth, a write that adds to it with the whole check, before anything is
    /// written. Damage found there stops the store like damage found anywhere.
    @Test func aDamagedHistoryIsFoundByTheFirstUseOfItAndStopsTheStore() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        try StateFileDamage.makeState(at: path, resources: Self.resourceCount)
        try StateFileDamage.overwritePage(try StateFileDamage.indexRootPage(of: path, index: "history_by_address"), of: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))

        let reading = SQLiteStateStore(path: path, createIfMissing: false, integrityDepth: .quick)
        #expect(try reading.resources().count == Self.resourceCount)
        #expect(try reading.auditLog().count == Self.resourceCount, "the audit log is sound")
        let error = #expect(throws: StateError.self) { try reading.history(address: nil, limit: 0) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("is damaged") == true)
        #expect(error?.message.contains(path) == true)
        let later = #expect(throws: StateError.self) { try reading.resources() }
        #expect(later?.message.contains("stopped using the state database") == true, "damage found stops the store")

        for depth in [StateFileCheck.Depth.quick, .full] {
            let writer = SQLiteStateStore(path: path, createIfMissing: false, integrityDepth: depth)
            #expect(try writer.version()?.serial == 1)
            let address = ResourceAddress(name: "web")
            let refused = #expect(throws: StateError.self) {
                try writer.put(StateSample.record(address), history: StateSample.history(address, serial: 2))
            }
            #expect(refused?.code == .corrupt)
            #expect(refused?.message.contains("is damaged") == true)
            #expect(throws: StateError.self) { try writer.put(StateSample.record(address), history: nil) }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes, "nothing was written")

        let sound = directory.file("sound.db")
        try StateFileDamage.makeState(at: sound, resources: 3)
        let store = SQLiteStateStore(path: sound, createIfMissing: false, integrityDepth: .quick)
        #expect(try store.history(address: nil, limit: 0).count == 3)
        try store.put(StateSample.record(ResourceAddress(name: "web")), history: StateSample.history(ResourceAddress(name: "web"), serial: 2))
        #expect(try store.history(address: nil, limit: 0).count == 4)
    }

    /// A store prepared for a command that writes checks as for a write even when the command's first use is a read
    /// that reaches the file before the preparing thread: the damaged history is refused at once, with nothing made
    /// beside the file.
    @Test func aStorePreparedForWritingChecksTheHistoryWhicheverThreadOpensFirst() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        try StateFileDamage.makeState(at: path, resources: 50)
        try StateFileDamage.overwritePage(try StateFileDamage.indexRootPage(of: path, index: "history_by_address"), of: path)
        let before = try StateFileSnapshot(path: path)
        for _ in 0..<5 {
            let store = SQLiteStateStore(path: path, createIfMissing: false)
            store.prepare(writing: true)
            let error = #expect(throws: StateError.self) { try store.version() }
            #expect(error?.code == .corrupt)
            #expect(try StateFileSnapshot(path: path) == before, "nothing written or made beside the file")
        }
    }

    @Test func aReadOnlyFileServesReadsAndRefusesWritesWithoutChangingItsMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        try StateFileDamage.makeState(at: path, resources: 3)
        try StateFileDamage.readOnly.apply(to: path)
        let before = try StateFileSnapshot(path: path)

        let store = SQLiteStateStore(path: path, createIfMissing: false)
        #expect(try store.version()?.serial == 1)
        #expect(try store.history(address: nil, limit: 0).count == 3)
        let error = #expect(throws: StateError.self) { try store.put(StateSample.record(ResourceAddress(name: "web")), history: nil) }
        #expect(error?.code == .readOnly)
        #expect(error?.message.contains("chmod 600") == true)
        #expect(throws: StateError.self) { try store.appendAudit(who: "a", action: "b", target: "c", result: "d", at: StateSample.date) }
        #expect(try store.resources().count == 3, "reads go on after a refused write")
        #expect(try StateFileSnapshot(path: path) == before)
        #expect(before.mode == 0o400)
    }

    @Test func aMissingFileIsStillANewStateCreatedWhole() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(".tend/state.db")
        let store = SQLiteStateStore(path: path, createIfMissing: false)
        #expect(try store.version() == nil)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try store.advanceSerial(from: nil).serial == 1)
        #expect(TemporaryDirectory.listing(directory.file(".tend")).allSatisfy { $0.hasPrefix("state.db") },
                "no temporary file is left beside the state")
        #expect(TemporaryDirectory.mode(of: path) == 0o600)
    }

    /// Damage under an open store: the write that meets it fails with the corruption error, and every later use
    /// of the store is refused without touching the file, while a new store refuses the file when it opens it.
    @Test func damageUnderAnOpenStoreStopsEveryLaterWrite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        try StateFileDamage.makeState(at: path, resources: Self.resourceCount)
        let store = SQLiteStateStore(path: path, createIfMissing: false)
        #expect(try store.version()?.serial == 1)   // opened and checked: the file was sound

        try StateFileDamage.overwritePage(try StateFileDamage.indexRootPage(of: path), of: path)
        let first = #expect(throws: StateError.self) {
            try store.put(StateSample.record(ResourceAddress(name: "web")), history: nil)
        }
        #expect(first?.code == .corrupt)
        #expect(first?.stopsWriting == true)
        #expect(first?.message.contains(path) == true)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))

        let later = #expect(throws: StateError.self) {
            try store.appendAudit(who: "a", action: "apply", target: "web", result: "ok", at: StateSample.date)
        }
        #expect(later?.stopsWriting == true)
        #expect(later?.message.contains("stopped using the state database") == true)
        #expect(throws: StateError.self) { try store.lock(StateSample.lock()) }
        #expect(throws: StateError.self) { try store.finishRun(1, outcome: "failed", counts: [:], at: StateSample.date) }
        #expect(throws: StateError.self) { try store.version() }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes, "refused writes leave the file alone")

        let reopened = #expect(throws: StateError.self) { try SQLiteStateStore(path: path, createIfMissing: false).version() }
        #expect(reopened?.code == .corrupt)
    }

    @Test(arguments: [11, 26, 10, 10 | (2 << 8), 8 | (4 << 8)] as [Int32])   // corrupt, not a database, I/O, short read, moved
    func corruptionAndIOErrorsStopWriting(code: Int32) {
        let error = SQLiteConnection.error(code: code, doing: "running \"INSERT\"", message: "boom", path: "/x/state.db")
        #expect(error.stopsWriting)
        #expect(error.sqliteCode == code)
    }

    @Test(arguments: [5, 19, 13, 8] as [Int32])
    func otherErrorsDoNotStopWriting(code: Int32) {
        // busy, a constraint, a full disk, a read-only database: the transaction is rolled back and the file is sound.
        #expect(!SQLiteConnection.error(code: code, doing: "running", message: "no", path: "/x/state.db").stopsWriting)
    }

    @Test func refusesAFileHeaderPromisingMorePagesThanItHas() {
        var header = Data(count: 100)
        header.replaceSubrange(0..<16, with: StateFileCheck.magic)
        header[16] = 0x10   // page size 4096
        header[24] = 0; header[27] = 7; header[92] = 0; header[95] = 7   // change counter 7 = version valid for
        header[31] = 10   // 10 pages
        #expect(StateFileCheck.expectedSize(header: header, size: 40960) == nil)
        #expect(StateFileCheck.expectedSize(header: header, size: 8192) == 40960)
        #expect(StateFileCheck.expectedSize(header: header, size: 40960 + 100) == 45056, "a torn last page")
        #expect(StateFileCheck.expectedSize(header: header.prefix(40), size: 40) == 512)
    }
}
