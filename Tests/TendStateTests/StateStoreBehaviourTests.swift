import Foundation
import TendModel
import TendState
import Testing

/// Behaviour every `StateStore` shares, run against each store.
@Suite struct StateStoreBehaviourTests {
    private let web = ResourceAddress(name: "web")

    @Test(arguments: StoreKind.allCases)
    func replacesTheRecordedOutputsAsAWhole(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        _ = try store.initialize()
        #expect(try store.outputs().isEmpty)
        let first = [OutputValue(name: "b", value: .list([.number(1), .string("x")]), sensitive: false),
                     OutputValue(name: "a", value: .string("secret"), sensitive: true)]
        try store.replaceOutputs(first)
        #expect(try store.outputs() == first.sorted { $0.name < $1.name }, "sorted by name, values and marks as written")
        try store.replaceOutputs([OutputValue(name: "c", value: .bool(true), sensitive: false)])
        #expect(try store.outputs().map(\.name) == ["c"], "outputs no longer declared are gone")
        try store.replaceOutputs([])
        #expect(try store.outputs().isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func roundTripsRecords(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let record = Sample.record(web)
        let pending = Sample.record(ResourceAddress(name: "site", key: .string("b\"]")), status: .createPending)

        try store.put(record, history: nil)
        try store.put(pending, history: nil)

        #expect(try store.resource(web) == record)
        #expect(try store.resource(pending.address) == pending)
        #expect(try store.resource(ResourceAddress(name: "absent")) == nil)
    }

    /// Reading with shared strings gives the very string passed in (same buffer) for byte-identical attribute values,
    /// escaped or not, and the recorded value otherwise: other bytes, canonically equal text, nested values.
    @Test(arguments: StoreKind.allCases)
    func sharesStringsThatAreByteForByteTheSame(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let text = String(repeating: "line with \"quotes\", \\ and \t tabs\n", count: 50) + "caf\u{E9} \u{1F600}"
        var record = Sample.record(web)
        record.attributes = ["content": .string(text), "path": .string("/srv/a-rather-long-path/caf\u{E9}"),
                             "other": .string("not the shared one at all"), "nested": .map(["content": .string(text)])]
        try store.put(record, history: nil)
        let sharedContent = String(decoding: Array(text.utf8), as: UTF8.self)
        let decomposed = "/srv/a-rather-long-path/cafe\u{301}"
        let sharing = [web: ["content": sharedContent, "path": decomposed, "other": "something else, also long",
                             "nested": "no"]]
        let read = try #require(try store.resources(sharing: sharing).first)
        #expect(read.attributes == record.attributes)
        #expect(Self.storage(read.attributes["content"]?.stringValue) == Self.storage(sharedContent))
        #expect(read.attributes["path"]?.stringValue?.utf8.elementsEqual(decomposed.utf8) == false)
        #expect(read.attributes["other"] == .string("not the shared one at all"))
        #expect(try store.resources().first?.attributes == record.attributes)
    }

    /// The address of a native string's UTF-8 buffer.
    private static func storage(_ text: String?) -> UInt? {
        guard var text else { return nil }
        return text.withUTF8 { $0.baseAddress.map { UInt(bitPattern: $0) } }
    }

    @Test(arguments: StoreKind.allCases)
    func listsResourcesSortedByAddress(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let addresses = [
            ResourceAddress(name: "disk", key: .index(10)), ResourceAddress(name: "web"),
            ResourceAddress(name: "disk", key: .index(2)), ResourceAddress(name: "disk"),
        ]
        for address in addresses { try store.put(Sample.record(address), history: nil) }

        #expect(try store.resources().map(\.address) == addresses.sorted())
    }

    @Test(arguments: StoreKind.allCases)
    func putReplacesAndRemoveDeletesWithHistory(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        var record = Sample.record(web)
        try store.put(record, history: Sample.history(web, serial: 1))
        record.attributes = ["content": .string("changed")]
        record.status = .created
        try store.put(record, history: Sample.history(web, serial: 2, action: "update"))

        #expect(try store.resources() == [record])

        try store.remove(web, history: Sample.history(web, serial: 3, action: "delete"))
        try store.remove(web, history: nil)

        #expect(try store.resources().isEmpty)
        #expect(try store.history(address: web, limit: 0).map(\.action) == ["delete", "update", "create"])
    }

    @Test(arguments: StoreKind.allCases)
    func versionStartsNilThenInitializesOnceAndIncrements(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        #expect(try store.version() == nil)

        let first = try store.initialize()
        #expect(first.serial == 0)
        #expect(UUID(uuidString: first.lineage) != nil)
        #expect(try store.initialize() == first)

        #expect(try store.advanceSerial(from: first) == StateVersion(lineage: first.lineage, serial: 1))
        #expect(try store.advanceSerial(from: StateVersion(lineage: first.lineage, serial: 1))
                == StateVersion(lineage: first.lineage, serial: 2))
        #expect(try store.version() == StateVersion(lineage: first.lineage, serial: 2))
    }

    @Test(arguments: StoreKind.allCases)
    func advancingANewStateFromNoStateCreatesItAtSerialOne(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let created = try store.advanceSerial(from: nil)
        #expect(created.serial == 1, "advancing from no state creates the state at serial 1")
        #expect(try store.version() == created)
        #expect(try store.stackID() != nil, "the created state has a stack id")
        let error = try #require(throws: StateError.self) { try store.advanceSerial(from: nil) }
        #expect(error.code == .stale, "advancing from no state once a state exists is refused")
        #expect(try store.version() == created, "a refused advance writes nothing")
    }

    @Test(arguments: StoreKind.allCases)
    func advancingFromAStaleVersionIsRefusedAndWritesNothing(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let first = try store.initialize()
        let current = try store.advanceSerial(from: first)
        #expect(current == StateVersion(lineage: first.lineage, serial: 1), "advancing from the current version bumps it")

        let olderSerial = try #require(throws: StateError.self) { try store.advanceSerial(from: first) }
        #expect(olderSerial.code == .stale, "an older serial is refused")
        #expect(olderSerial.message.contains("serial 0") && olderSerial.message.contains("serial 1"),
                "the message names the serial expected and the one found")
        let otherLineage = StateVersion(lineage: "another-lineage", serial: 1)
        let lineageError = try #require(throws: StateError.self) { try store.advanceSerial(from: otherLineage) }
        #expect(lineageError.code == .stale, "another lineage at the same serial is refused")
        #expect(lineageError.message.contains("another-lineage") && lineageError.message.contains(first.lineage),
                "the message names the lineage expected and the one found")
        let newerSerial = try #require(throws: StateError.self) {
            try store.advanceSerial(from: StateVersion(lineage: first.lineage, serial: 5))
        }
        #expect(newerSerial.code == .stale, "a serial the state never reached is refused")
        #expect(try store.version() == current, "refused advances write nothing")
    }

    @Test(arguments: StoreKind.allCases)
    func ofTwoStoresAdvancingFromTheSameVersionOnlyOneSucceeds(kind: StoreKind) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (first, second) = kind.makeStores(in: directory)
        _ = try first.initialize()
        let read = try #require(try second.version(), "the second store sees the state the first created")
        #expect(try first.version() == read)
        let outcomes = await withTaskGroup(of: Result<StateVersion, any Error>.self) { group in
            for store in [first, second] {
                group.addTask { Result { try store.advanceSerial(from: read) } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let advanced = outcomes.compactMap { try? $0.get() } // A refused advance is counted below, by its error.
        let refused = outcomes.compactMap { outcome -> StateError? in
            if case let .failure(error) = outcome { return error as? StateError }
            return nil
        }
        #expect(advanced == [StateVersion(lineage: read.lineage, serial: read.serial + 1)], "exactly one advance succeeds")
        #expect(refused.map(\.code) == [.stale], "the other is refused as stale")
        #expect(try first.version() == StateVersion(lineage: read.lineage, serial: read.serial + 1))
        #expect(try second.version() == StateVersion(lineage: read.lineage, serial: read.serial + 1))
    }

    @Test(arguments: StoreKind.allCases)
    func historyIsNewestFirstFilteredAndLimited(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let db = ResourceAddress(name: "db")
        try store.put(Sample.record(web), history: Sample.history(web, serial: 1))
        try store.put(Sample.record(db), history: Sample.history(db, serial: 1))
        try store.put(Sample.record(web), history: Sample.history(web, serial: 2, action: "update"))

        let all = try store.history(address: nil, limit: 10)
        #expect(all.map(\.address) == [web, db, web])
        #expect(all.first == Sample.history(web, serial: 2, action: "update"))
        #expect(try store.history(address: web, limit: 10).map(\.serial) == [2, 1])
        #expect(try store.history(address: nil, limit: 1).count == 1)
        #expect(try store.history(address: ResourceAddress(name: "other"), limit: 10).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func runsBeginAndFinishNewestFirst(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let plan = try store.beginRun(kind: "plan", at: Sample.date)
        let apply = try store.beginRun(kind: "apply", at: Sample.date.addingTimeInterval(60))
        try store.finishRun(apply, outcome: "success", counts: ["created": 2, "failed": 0],
                            at: Sample.date.addingTimeInterval(90.5))

        let runs = try store.runs(limit: 10)
        #expect(runs == [
            RunRecord(id: apply, kind: "apply", startedAt: Sample.date.addingTimeInterval(60),
                      finishedAt: Sample.date.addingTimeInterval(90.5), outcome: "success",
                      counts: ["created": 2, "failed": 0]),
            RunRecord(id: plan, kind: "plan", startedAt: Sample.date, finishedAt: nil, outcome: nil, counts: [:]),
        ])
        #expect(try store.runs(limit: 1).map(\.id) == [apply])
        #expect(throws: StateError.self) { try store.finishRun(apply + 100, outcome: "x", counts: [:], at: Sample.date) }
    }

    @Test(arguments: StoreKind.allCases)
    func auditLogChainsHashes(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        for (index, action) in ["plan", "apply", "force-unlock"].enumerated() {
            try store.appendAudit(who: "alice", action: action, target: "web", result: "ok",
                                  at: Sample.date.addingTimeInterval(Double(index)))
        }

        let log = try store.auditLog()
        #expect(log.map(\.sequence) == [1, 2, 3])
        #expect(log.map(\.action) == ["plan", "apply", "force-unlock"])
        #expect(log.first?.previousHash == String(repeating: "0", count: 64))
        #expect(log.dropFirst().map(\.previousHash) == log.dropLast().map(\.hash))
        #expect(log.allSatisfy { $0.hash.count == 64 && $0.hash.allSatisfy(\.isHexDigit) })
        #expect(Set(log.map(\.hash)).count == 3)
        #expect(try store.verifyAuditChain() == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentAppendsKeepTheChainIntact(kind: StoreKind) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try store.appendAudit(who: "worker \(index)", action: "apply", target: "web", result: "ok",
                                          at: Sample.date)
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.auditLog().count == 40)
        #expect(try store.verifyAuditChain() == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func secondLockIsRefusedNamingTheHolder(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let held = Sample.lock()
        try store.lock(held)

        let error = #expect(throws: StateError.self) { try store.lock(Sample.lock(id: "lock-2")) }
        #expect(error?.code == .locked)
        for part in [held.id, held.holder, held.operation, "\(held.pid)", held.host] {
            #expect(error?.message.contains(part) == true, "message should name \(part)")
        }
        #expect(try store.currentLock() == held)
    }

    @Test(arguments: StoreKind.allCases)
    func lockOfDeadProcessOnThisHostIsStale(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let stale = Sample.lock(id: "dead-1", pid: try Sample.deadPID())
        try store.lock(stale)
        #expect(stale.isStale)

        let error = #expect(throws: StateError.self) { try store.lock(Sample.lock(id: "lock-2")) }
        #expect(error?.code == .staleLock)
        #expect(error?.message.contains("tend force-unlock dead-1") == true)
    }

    @Test(arguments: StoreKind.allCases)
    func lockOfDeadPIDOnAnotherHostIsNotStale(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        try store.lock(Sample.lock(id: "remote", pid: try Sample.deadPID(), host: "elsewhere.invalid"))

        let error = #expect(throws: StateError.self) { try store.lock(Sample.lock(id: "lock-2")) }
        #expect(error?.code == .locked)
    }

    @Test(arguments: StoreKind.allCases)
    func unlockNeedsTheHoldersID(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        try store.lock(Sample.lock(id: "mine"))

        try store.unlock(id: "someone-else")
        #expect(try store.currentLock()?.id == "mine")

        try store.unlock(id: "mine")
        #expect(try store.currentLock() == nil)
        try store.lock(Sample.lock(id: "again"))
        #expect(try store.currentLock()?.id == "again")
    }

    @Test(arguments: StoreKind.allCases)
    func forceUnlockRemovesOnlyAnExistingLock(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        try store.lock(Sample.lock(id: "stuck", pid: try Sample.deadPID()))

        let wrong = #expect(throws: StateError.self) { try store.forceUnlock(id: "nope") }
        #expect(wrong?.code == .noSuchLock)
        #expect(try store.currentLock()?.id == "stuck")

        try store.forceUnlock(id: "stuck")
        #expect(try store.currentLock() == nil)
        let again = #expect(throws: StateError.self) { try store.forceUnlock(id: "stuck") }
        #expect(again?.code == .noSuchLock)
    }

    @Test(arguments: StoreKind.allCases)
    func breakingAStaleLockFinishesItsRunsAndAudits(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        _ = try store.initialize()
        let done = try store.beginRun(kind: "apply", at: Sample.date)
        try store.finishRun(done, outcome: "succeeded", counts: [:], at: Sample.date)
        let stale = Sample.lock(id: "dead-1", pid: try Sample.deadPID())
        try store.lock(stale)
        let left = try store.beginRun(kind: "apply", at: Sample.date)

        let mine = Sample.lock(id: "mine")
        let audit = AuditDraft(who: "bob@here", action: "break-stale-lock", target: "dead-1", result: "holder gone", at: Sample.date)
        #expect(try store.breakStaleLock(stale, taking: mine, audit: audit) == 1)
        #expect(try store.currentLock() == mine)
        let runs = try store.runs(limit: 0)
        #expect(runs.first { $0.id == left }?.outcome == "abandoned")
        #expect(runs.first { $0.id == left }?.finishedAt != nil)
        #expect(runs.first { $0.id == done }?.outcome == "succeeded")
        #expect(try store.auditLog().last.map { [$0.action, $0.target, $0.who] } == ["break-stale-lock", "dead-1", "bob@here"])
        #expect(try store.verifyAuditChain() == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func breakingALockSomeoneElseTookWritesNothing(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let stale = Sample.lock(id: "dead-1", pid: try Sample.deadPID())
        let other = Sample.lock(id: "other")
        try store.lock(other)
        let audit = AuditDraft(who: "bob@here", action: "break-stale-lock", target: "dead-1", result: "holder gone", at: Sample.date)

        let error = #expect(throws: StateError.self) { try store.breakStaleLock(stale, taking: Sample.lock(id: "mine"), audit: audit) }
        #expect(error?.code == .locked)
        #expect(try store.currentLock() == other)
        #expect(try store.auditLog().isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func processIdentityIsKeptWithTheLock(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        var info = Sample.lock()
        info.process = "boot-1/12345"
        try store.lock(info)
        #expect(try store.currentLock()?.process == "boot-1/12345")
    }

    @Test func aLivePIDStartedAtAnotherTimeIsAReusedPID() throws {
        // This process is alive, but a lock recorded with another start time was taken by an earlier process.
        let boot = try #require(LocalProcess.bootID)
        let mine = try #require(LocalProcess.currentIdentity)
        #expect(!Sample.lock(pid: getpid()).isStale)
        #expect(!LockInfo(id: "l", holder: "h", operation: "apply", pid: getpid(), host: LocalHost.name, since: Sample.date,
                          process: mine).isStale)
        #expect(LockInfo(id: "l", holder: "h", operation: "apply", pid: getpid(), host: LocalHost.name, since: Sample.date,
                         process: "\(boot)/1").isStale)
        #expect(LockInfo(id: "l", holder: "h", operation: "apply", pid: getpid(), host: LocalHost.name, since: Sample.date,
                         process: "another-boot/1").isStale)
        #expect(!LockInfo(id: "l", holder: "h", operation: "apply", pid: getpid(), host: "elsewhere.invalid", since: Sample.date,
                          process: "another-boot/1").isStale)
    }
}
