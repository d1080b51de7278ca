import Foundation
@testable import TendState
import TendModel
import TendStateTesting
import Testing

/// State encryption at rest (docs/state-encryption.md), run against every store: sealed values round-trip, never lie
/// in the store in clear, are refused without their key or with another one before anything is written, do not open
/// when copied into another record, and `rekey` re-encrypts (or decrypts) everything in one go.
@Suite struct StateEncryptionTests {
    static let canary = "tend-canary-5ecret-9d2e"
    static let keyA = StateKey(bytes: Array(repeating: 0xA1, count: 32))
    static let keyB = StateKey(bytes: Array(repeating: 0xB2, count: 32))

    /// Key A, or a recorded failure when it did not form.
    static func firstKey() throws -> StateKey { try #require(keyA) }
    private let web = ResourceAddress(name: "web")
    private let db = ResourceAddress(name: "db")

    /// A record with a secret at a top-level path, one in a nested map and one in a list, and a clear attribute.
    static func record(_ address: ResourceAddress, secret: String = canary, id: String? = nil) -> ResourceRecord {
        var record = StateSample.record(address)
        record.id = id ?? "id-\(address)"
        record.attributes["password"] = .string(secret)
        record.attributes["tags"] = .map(["owner": .string(secret + "-owner"), "team": .string("ops")])
        record.attributes["tokens"] = .list([.string("public"), .string(secret + "-token")])
        record.sensitivePaths = [AttributePath(keys: "password"), AttributePath(keys: "tags", "owner"),
                                 AttributePath([.key("tokens"), .index(1)]), AttributePath(keys: "absent", "deep")]
        record.privateData = "{\"opaque\":\"provider-private\"}"
        return record
    }

    static func encrypted(_ base: any StateStore, _ key: StateKey?, mode: StateEncryption.Mode = .sensitive) -> EncryptedStateStore {
        EncryptedStateStore(base, key: key, mode: mode, location: "the test state")
    }

    static func history(_ address: ResourceAddress, serial: Int) -> HistoryEntry {
        HistoryEntry(serial: serial, runID: 1, address: address, action: "update", before: ["content": .string("old")],
                     after: ["content": .string("new \(serial)")], at: StateSample.date.addingTimeInterval(Double(serial)))
    }

    /// Every string of `attributes`, at any depth.
    static func strings(_ value: Value) -> [String] {
        switch value {
        case let .string(text): return [text]
        case let .map(entries): return entries.values.flatMap(strings)
        case let .list(items): return items.flatMap(strings)
        case let .set(set): return set.elements.flatMap(strings)
        default: return []
        }
    }

    static func holdsCanary(_ records: [ResourceRecord]) -> Bool {
        records.contains { strings(.map($0.attributes)).contains { $0.contains(canary) } }
    }

    @Test(arguments: StoreKind.allCases)
    func sealsSensitiveValuesAndOpensThemAgain(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let base = kind.makeStore(in: directory)
        let key = try #require(Self.keyA)
        let store = Self.encrypted(base, key)
        let record = Self.record(web)
        _ = try store.advanceSerial(from: nil)
        try store.put(record, history: Self.history(web, serial: 1))

        #expect(try store.resource(web) == record, "a sealed record reads back as it was written")
        #expect(try store.resources() == [record])
        #expect(try store.encryption() == StateEncryption(mode: .sensitive, key: key), "the key check is recorded")
        let raw = try #require(try base.resource(web))
        #expect(!Self.holdsCanary([raw]), "the store underneath holds no secret in clear")
        #expect(StateSealer.isSealed(raw.attributes["password"] ?? .null), "the password is sealed")
        #expect(raw.attributes["tags"]?.mapValue?["team"] == .string("ops"), "clear attributes stay clear")
        #expect(raw.attributes["tokens"]?.listValue?.first == .string("public"))
        #expect(raw.attributes["path"] == record.attributes["path"])

        // Deposed objects are sealed too.
        var intent = Self.record(web, secret: "replacement", id: "")
        intent.status = .createPending
        try store.depose(web, intent: intent)
        #expect(try store.deposedObjects() == [record])
        #expect(!Self.holdsCanary(try base.deposedObjects()), "the deposed object holds no secret in clear")
        #expect(try store.resource(web) == intent)
    }

    @Test(arguments: StoreKind.allCases)
    func refusesAMissingOrWrongKeyBeforeWritingAnything(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let base = kind.makeStore(in: directory)
        let keyA = try #require(Self.keyA)
        let keyB = try #require(Self.keyB)
        try Self.encrypted(base, keyA).put(Self.record(web), history: nil)
        let before = try #require(try StateSnapshot(reading: base))

        let missing = Self.encrypted(base, nil)
        #expect(throws: StateError.self, "reading without a key is refused") { try missing.resources() }
        let missingError = try #require(throws: StateError.self) { try missing.put(Self.record(db), history: nil) }
        #expect(missingError.code == .keyMissing, "the error says the key is missing")
        #expect(missingError.message.contains("TEND_STATE_KEY"), "the error says where a key goes")
        let wrong = Self.encrypted(base, keyB)
        let wrongError = try #require(throws: StateError.self) { _ = try wrong.advanceSerial(from: try base.version()) }
        #expect(wrongError.code == .wrongKey, "the error says the key is another")
        #expect(wrongError.message.contains(keyA.id) && wrongError.message.contains(keyB.id), "both key ids are named")
        #expect(throws: StateError.self, "writing with another key is refused") {
            try wrong.put(Self.record(db), history: nil)
        }
        #expect(throws: StateError.self, "taking the lock with another key is refused") { try wrong.lock(StateSample.lock()) }
        #expect(try StateSnapshot(reading: base) == before, "nothing was written")
        #expect(try base.currentLock() == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func aSealedValueDoesNotOpenInAnotherRecord(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let base = kind.makeStore(in: directory)
        let store = Self.encrypted(base, try Self.firstKey())
        try store.put(Self.record(web), history: nil)
        try store.put(Self.record(db, secret: "harmless"), history: nil)
        var stolen = try #require(try base.resource(db))
        stolen.attributes["password"] = try #require(try base.resource(web)).attributes["password"]
        try base.put(stolen, history: nil)

        #expect(throws: StateError.self, "a value sealed for web does not open as db's") { try store.resource(db) }
        #expect(try store.resource(web) == Self.record(web))
    }

    @Test(arguments: StoreKind.allCases)
    func rekeyReencryptsEverythingUnderTheNewKey(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let base = kind.makeStore(in: directory)
        let keyA = try #require(Self.keyA)
        let keyB = try #require(Self.keyB)
        // Written in clear first: rekey seals these too.
        let plain = Self.encrypted(base, nil)
        _ = try plain.advanceSerial(from: nil)
        try plain.put(Self.record(db), history: Self.history(db, serial: 1))
        let old = Self.encrypted(base, keyA)
        try old.put(Self.record(web), history: Self.history(web, serial: 2))
        var intent = Self.record(web, secret: "replacement", id: "")
        intent.status = .createPending
        try old.depose(web, intent: intent)
        try old.put(Self.record(web, id: "id-new"), history: nil)
        let expected = try old.resources()
        let history = try old.history(address: nil, limit: 0)
        let deposed = try old.deposedObjects()

        let audit = AuditDraft(who: "tester", action: "state rekey", target: "state", result: "ok", at: StateSample.date)
        let counts = try old.rekey(to: keyB, mode: .all, audit: audit)
        #expect(counts == StateRewrite.Counts(resources: 2, deposed: 1, history: 2))

        let new = Self.encrypted(base, keyB)
        #expect(try new.resources() == expected, "the new key opens every record")
        #expect(try new.deposedObjects() == deposed)
        #expect(try new.history(address: nil, limit: 0) == history)
        #expect(try base.encryption() == StateEncryption(mode: .all, key: keyB))
        #expect(throws: StateError.self, "the old key no longer opens the state") {
            try Self.encrypted(base, keyA).resources()
        }
        #expect(!Self.holdsCanary(try base.resources() + base.deposedObjects()))
        #expect(try base.resources().allSatisfy { $0.attributes.keys.sorted() == [StateSealer.wholeKey] },
                "mode all seals whole attributes")
        #expect(try base.deposedObjects().allSatisfy { $0.privateData?.hasPrefix(StateSealer.prefix) == true },
                "mode all seals the private data of deposed objects")
        #expect(try base.history(address: nil, limit: 0).allSatisfy { $0.after?.keys.sorted() == [StateSealer.wholeKey] },
                "mode all seals history")
        #expect(try base.auditLog().last?.action == "state rekey")

        // Removing encryption leaves every value in clear and the state without a key check.
        try new.rekey(to: nil, mode: .sensitive, audit: audit)
        #expect(try base.encryption() == nil)
        #expect(try base.resources() == expected, "the values are in clear again")
        #expect(try Self.encrypted(base, nil).history(address: nil, limit: 0) == history)
    }

    @Test(arguments: StoreKind.allCases)
    func aRekeyThatFailsWritesNothing(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let base = kind.makeStore(in: directory)
        let store = Self.encrypted(base, try Self.firstKey())
        try store.put(Self.record(web), history: nil)
        try store.put(Self.record(db), history: nil)
        // A damaged sealed value: the rekey cannot open it, so it must leave everything as it was.
        var damaged = try #require(try base.resource(db))
        damaged.attributes["password"] = .string(StateSealer.prefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        try base.put(damaged, history: nil)
        let before = try #require(try StateSnapshot(reading: base))

        let audit = AuditDraft(who: "tester", action: "state rekey", target: "state", result: "ok", at: StateSample.date)
        #expect(throws: StateError.self) { try store.rekey(to: try #require(Self.keyB), mode: .sensitive, audit: audit) }
        #expect(try StateSnapshot(reading: base) == before, "the failed rekey rolled back")
    }

    /// `accept` numbers its history entry inside the store's transaction: in mode all its sealed before and after
    /// must still open, and the accepted record is sealed like any other.
    @Test(arguments: StoreKind.allCases)
    func acceptedDriftIsSealedInModeAll(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let base = kind.makeStore(in: directory)
        let store = Self.encrypted(base, try Self.firstKey(), mode: .all)
        _ = try store.advanceSerial(from: nil)
        try store.put(Self.record(web), history: nil)
        var observed = Self.record(web, secret: "rotated-\(Self.canary)")
        observed.attributes["path"] = .string("/elsewhere")
        let audit = AuditDraft(who: "tester", action: "drift accept", target: "web", result: "ok", at: StateSample.date)
        _ = try store.accept(DriftAcceptance(record: observed, before: ["path": .string("/tmp/out")],
                                         after: ["path": .string("/elsewhere")], audit: audit, at: StateSample.date))

        #expect(try store.resource(web) == observed)
        let entry = try #require(try store.history(address: web, limit: 1).first)
        #expect(entry.action == "accept")
        #expect(entry.before == ["path": .string("/tmp/out")] && entry.after == ["path": .string("/elsewhere")])
        let raw = try #require(try base.history(address: web, limit: 1).first)
        #expect(raw.after?.keys.sorted() == [StateSealer.wholeKey], "the history entry is sealed")
        #expect(!Self.holdsCanary(try base.resources()))
        #expect(try base.resource(web)?.attributes["path"] == nil, "mode all seals non-sensitive attributes too")
        #expect(try base.resource(web)?.privateData?.hasPrefix(StateSealer.prefix) == true, "and the private data")
        #expect(try store.resource(web)?.privateData == observed.privateData)
    }

    /// In mode all a drift finding's expected and actual values (and its context's) are sealed too, opened on every
    /// read, and rewritten by rekey; in mode sensitive they are left as the engine wrote them (already redacted).
    @Test(arguments: StoreKind.allCases)
    func driftFindingsAreSealedInModeAllAndRekeyed(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let base = kind.makeStore(in: directory)
        let store = Self.encrypted(base, try Self.firstKey(), mode: .all)
        _ = try store.advanceSerial(from: nil)
        try store.put(Self.record(web), history: nil)
        let runID = try store.beginRun(kind: "drift", at: StateSample.date, actor: StateSample.actor)
        let observed = ObservedFinding(address: "web", type: "local_file", kind: .changed, path: "path",
                                       expected: .string("/expected-\(Self.canary)"), actual: .string("/actual-\(Self.canary)"),
                                       context: [FindingContext(path: "size", expected: .number(1), actual: .number(2))])
        let recording = try store.recordDrift(runID: runID, findings: [observed], scope: ["web"], at: StateSample.date)
        #expect(recording.opened.map(\.expected) == [observed.expected], "what recordDrift returns is opened")

        let raw = try #require(try base.driftFindings(address: nil, since: nil).first)
        #expect(StateSealer.isSealed(raw.expected ?? .null) && StateSealer.isSealed(raw.actual ?? .null))
        #expect(raw.context.allSatisfy { StateSealer.isSealed($0.actual ?? .null) }, "the context is sealed")
        let opened = try #require(try store.driftFindings(address: nil, since: nil).first)
        #expect(opened.expected == observed.expected && opened.actual == observed.actual && opened.context == observed.context)

        let audit = AuditDraft(who: "tester", action: "state rekey", target: "state", result: "ok", at: StateSample.date)
        let keyB = try #require(Self.keyB)
        let counts = try store.rekey(to: keyB, mode: .sensitive, audit: audit)
        #expect(counts.findings == 1)
        #expect(try base.driftFindings(address: nil, since: nil).first?.expected == observed.expected,
                "mode sensitive leaves findings as the engine wrote them")
        #expect(try Self.encrypted(base, keyB).resolveFindings(address: "web", resolution: .accepted, at: StateSample.date)
            .map(\.actual) == [observed.actual])
    }

    @Test func migrateCopiesSealedValuesThatTheSameKeyOpens() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = try #require(Self.keyA)
        let source = SQLiteStateStore(path: directory.file("a.db"), createIfMissing: true)
        let store = Self.encrypted(source, key)
        _ = try store.advanceSerial(from: nil)
        try store.put(Self.record(web), history: Self.history(web, serial: 1))

        let destination = SQLiteStateStore(path: directory.file("b.db"), createIfMissing: true)
        try destination.importSnapshot(try #require(try StateSnapshot(reading: store.verifiedBase())))
        #expect(try destination.encryption() == StateEncryption(mode: .sensitive, key: key))
        #expect(!Self.holdsCanary(try destination.resources()), "the copy is sealed")
        #expect(try Self.encrypted(destination, key).resources() == [Self.record(web)])
        #expect(throws: StateError.self) { try Self.encrypted(destination, nil).resources() }
    }

    @Test func keysAreReadAsBase64OrHexAndNothingElse() throws {
        let bytes = (0..<32).map { UInt8($0) }
        let base64 = Data(bytes).base64EncodedString()
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let urlSafe = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let expected = try #require(StateKey(bytes: bytes)).check
        for text in [base64, " \(base64)\n", hex, urlSafe] {
            #expect(try StateKey.parse(text, source: "test").check == expected)
        }
        for text in ["correct horse battery staple", Data(bytes.prefix(16)).base64EncodedString(), ""] {
            let error = try #require(throws: StateError.self) { _ = try StateKey.parse(text, source: "TEND_STATE_KEY") }
            #expect(error.code == .invalidKey)
            #expect(text.isEmpty || !error.message.contains(text), "the error never repeats the text")
        }
        #expect(StateKey(bytes: bytes)?.check != Self.keyA?.check)
    }

    @Test func aKeyFileOthersCanReadIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.key")
        try Data((Data((0..<32).map { UInt8($0) }).base64EncodedString() + "\n").utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o644)
        let error = try #require(throws: StateError.self) { _ = try StateKey.load(from: path) }
        #expect(error.code == .invalidKey)
        #expect(error.message.contains("chmod 600"), "the error says what to do")
        chmod(path, 0o600)
        #expect(try StateKey.load(from: path).check == StateKey(bytes: (0..<32).map { UInt8($0) })?.check)
    }
}
