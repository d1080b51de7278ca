import Foundation
import TendModel

/// A state store in memory, with the same semantics as `SQLiteStateStore`, for engine tests.
///
/// Values are kept as given; the SQLite store writes `Value.unknown` as null, this one keeps it.
///
/// The lock is a lease with a fencing token, as with SQLite and PostgreSQL, on `clock`. A second handle on the same
/// state (`init(sharing:)`), as a second process would open it, holds its own lock: once its lease has expired, the
/// other may take the lock, and from then on every write of the first fails with `.fenced`.
public final class InMemoryStateStore: StateStore, FencingTokenHolding, @unchecked Sendable {
    struct Contents {
        var version: StateVersion?
        var stackID: String?
        var resources: [ResourceAddress: ResourceRecord] = [:]
        var history: [HistoryEntry] = []
        var runs: [RunRecord] = []
        var audit: [AuditEntry] = []
        var lock: LockInfo?
        /// The last fencing token taken (0 before the first); it outlives the lock.
        var lastToken: Int64 = 0
        /// When the holder's lease runs out.
        var lockExpiresAt: Date?
        var findings: [DriftFinding] = []
        var sightings: [DriftSighting] = []
        var deposed: [ResourceRecord] = []
        var outputs: [OutputValue] = []
        var encryption: StateEncryption?
    }

    /// One state, shared by every handle on it.
    final class Storage: @unchecked Sendable {
        /// Held for every read and write of `contents`.
        let mutex = NSLock()
        /// The state itself.
        var contents = Contents()
    }

    /// How long an acquired lock lasts without renewal, in seconds.
    public let leaseDuration: Double
    /// Whether a thread renews the lease while the lock is held (tests turn it off to let a lease run out).
    public let renewsLease: Bool
    /// The clock leases are measured on.
    let clock: @Sendable () -> Date
    let storage: Storage
    /// The lock this handle took and its fencing token, while it holds it, and the thread renewing it.
    let leases = LeaseHolder()

    /// An empty store: no state written yet.
    /// - Parameters:
    ///   - leaseDuration: seconds a lock lasts without renewal.
    ///   - renewsLease: whether a thread renews the lease while the lock is held.
    ///   - clock: the time leases are measured against.
    public init(leaseDuration: Double = 60, renewsLease: Bool = true, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = Storage()
        self.leaseDuration = leaseDuration
        self.renewsLease = renewsLease
        self.clock = clock
    }

    /// Another handle on `other`'s state, as a second process would open it: it sees every write, and holds a lock of
    /// its own. The parameters are as for `init(leaseDuration:renewsLease:clock:)`.
    public init(sharing other: InMemoryStateStore, leaseDuration: Double = 60, renewsLease: Bool = true,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = other.storage
        self.leaseDuration = leaseDuration
        self.renewsLease = renewsLease
        self.clock = clock
    }

    /// The fencing token of the lock this handle holds; nil when it holds none.
    public var fencingToken: Int64? {
        leases.current?.token
    }

    /// Runs `body` on the state, alone: reads, and the lock's own changes.
    func withContents<Result>(_ body: (inout Contents) throws -> Result) rethrows -> Result {
        storage.mutex.lock()
        defer { storage.mutex.unlock() }
        return try body(&storage.contents)
    }

    /// Runs a write on the state, alone; while this handle holds the lock, it first checks that its lock and fencing
    /// token are still the current ones (`.fenced` otherwise, with nothing changed).
    func writing<Result>(_ body: (inout Contents) throws -> Result) throws -> Result {
        let fence = leases.current
        return try withContents { contents in
            if let fence { try Self.checkFence(fence, in: contents) }
            return try body(&contents)
        }
    }

    public func version() throws -> StateVersion? {
        withContents { $0.version }
    }

    public func resources() throws -> [ResourceRecord] {
        withContents { $0.resources.values.sorted { $0.address < $1.address } }
    }

    public func resources(sharing: SharedStrings) throws -> [ResourceRecord] {
        var records = try resources()
        for index in records.indices {
            guard let object = sharing.object(records[index].address) else { continue }
            for (key, value) in records[index].attributes {
                if case let .string(text) = value, let shared = object.string(for: key), text.utf8.elementsEqual(shared.utf8) {
                    records[index].attributes[key] = .string(shared)
                }
            }
        }
        return records
    }

    public func resourceSummaries() throws -> [ResourceRecord] {
        try resources().map { record in
            var summary = record
            summary.attributes = [:]
            return summary
        }
    }

    public func resource(_ address: ResourceAddress) throws -> ResourceRecord? {
        withContents { $0.resources[address] }
    }

    public func initialize() throws -> StateVersion {
        try writing { contents in
            if let version = contents.version { return version }
            return Self.create(&contents, stackID: UUID().uuidString.lowercased())
        }
    }

    public func advanceSerial(from expected: StateVersion?) throws -> StateVersion {
        try writing { contents in
            guard contents.version == expected else {
                throw StateError.stale(expected: expected, found: contents.version)
            }
            return Self.bumpSerial(&contents)
        }
    }

    /// A new state at serial 0 with `stackID`.
    private static func create(_ contents: inout Contents, stackID: String) -> StateVersion {
        let created = StateVersion(lineage: UUID().uuidString.lowercased(), serial: 0)
        contents.version = created
        contents.stackID = stackID
        return created
    }

    private static func bumpSerial(_ contents: inout Contents) -> StateVersion {
        var next = contents.version ?? create(&contents, stackID: UUID().uuidString.lowercased())
        next.serial += 1
        contents.version = next
        return next
    }

    public func outputs() throws -> [OutputValue] {
        withContents { $0.outputs }
    }

    public func replaceOutputs(_ outputs: [OutputValue]) throws {
        try writing { $0.outputs = outputs.sorted { $0.name < $1.name } }
    }

    public func stackID() throws -> String? {
        withContents { $0.stackID }
    }

    public func recordStackID(_ id: String) throws -> StateVersion {
        try writing { contents in
            guard let version = contents.version else { return Self.create(&contents, stackID: id) }
            contents.stackID = id
            return version
        }
    }

    public func move(from source: ResourceAddress, to destination: ResourceAddress, audit: AuditDraft) throws -> StateVersion {
        try writing { contents in
            guard var record = contents.resources[source] else { throw StateError(.notFound, "no resource \(source) in state") }
            guard contents.resources[destination] == nil else {
                throw StateError(.conflict, "\(destination) already exists in state")
            }
            let version = Self.bumpSerial(&contents)
            record.address = destination
            contents.resources[source] = nil
            contents.resources[destination] = record
            Self.appendAudit(audit, to: &contents)
            return version
        }
    }

    public func forget(_ address: ResourceAddress, audit: AuditDraft) throws -> StateVersion {
        try writing { contents in
            guard contents.resources[address] != nil else { throw StateError(.notFound, "no resource \(address) in state") }
            let version = Self.bumpSerial(&contents)
            contents.resources[address] = nil
            Self.appendAudit(audit, to: &contents)
            return version
        }
    }

    public func accept(_ acceptance: DriftAcceptance) throws -> [DriftFinding] {
        try writing { contents in
            let address = acceptance.record.address
            guard contents.resources[address] != nil else { throw StateError(.notFound, "no resource \(address) in state") }
            let version = Self.bumpSerial(&contents)
            let runID = (contents.runs.last?.id ?? 0) + 1
            contents.runs.append(RunRecord(id: runID, kind: DriftAcceptance.runKind, startedAt: acceptance.at,
                                           finishedAt: acceptance.at, outcome: "succeeded", counts: ["accepted": 1],
                                           actor: acceptance.audit.who))
            contents.resources[address] = acceptance.record
            contents.history.append(HistoryEntry(serial: version.serial, runID: runID, address: address, action: "accept",
                                                 before: acceptance.before, after: acceptance.after, at: acceptance.at))
            Self.appendAudit(acceptance.audit, to: &contents)
            var resolved: [DriftFinding] = []
            for index in contents.findings.indices
            where contents.findings[index].isOpen && contents.findings[index].address == address.description {
                contents.findings[index].resolvedAt = acceptance.at
                contents.findings[index].resolution = .accepted
                contents.findings[index].resolvedRunID = runID
                resolved.append(contents.findings[index])
            }
            return resolved
        }
    }

    static func appendAudit(_ draft: AuditDraft, to contents: inout Contents) {
        contents.audit.append(AuditChain.entry(after: contents.audit.last, at: draft.at, who: draft.who, action: draft.action,
                                               target: draft.target, result: draft.result))
    }

    public func put(_ record: ResourceRecord, history: HistoryEntry?) throws {
        try writing { contents in
            contents.resources[record.address] = record
            if let history { contents.history.append(history) }
        }
    }

    public func remove(_ address: ResourceAddress, history: HistoryEntry?) throws {
        try writing { contents in
            contents.resources[address] = nil
            if let history { contents.history.append(history) }
        }
    }

    public func history(address: ResourceAddress?, limit: Int) throws -> [HistoryEntry] {
        withContents { contents in
            let matching = contents.history.reversed().filter { address == nil || $0.address == address }
            return limit > 0 ? Array(matching.prefix(limit)) : matching
        }
    }

    public func beginRun(kind: String, at: Date, actor: String) throws -> Int64 {
        try writing { contents in
            let id = (contents.runs.last?.id ?? 0) + 1
            contents.runs.append(RunRecord(id: id, kind: kind, startedAt: at, finishedAt: nil, outcome: nil, counts: [:],
                                           actor: actor))
            return id
        }
    }

    public func finishRun(_ id: Int64, outcome: String, counts: [String: Int], at: Date) throws {
        try writing { contents in
            guard let index = contents.runs.firstIndex(where: { $0.id == id }) else {
                throw StateError(.io, "no run with ID \(id) to finish")
            }
            contents.runs[index].finishedAt = at
            contents.runs[index].outcome = outcome
            contents.runs[index].counts = counts
        }
    }

    public func runs(limit: Int) throws -> [RunRecord] {
        withContents { contents in
            let newestFirst = Array(contents.runs.reversed())
            return limit > 0 ? Array(newestFirst.prefix(limit)) : newestFirst
        }
    }

    public func appendAudit(who: String, action: String, target: String, result: String, at: Date) throws {
        try writing { contents in
            contents.audit.append(AuditChain.entry(after: contents.audit.last, at: at, who: who, action: action,
                                                   target: target, result: result))
        }
    }

    public func auditLog() throws -> [AuditEntry] {
        withContents { $0.audit }
    }

    public func verifyAuditChain() throws -> Int64? {
        AuditChain.firstBrokenSequence(in: withContents { $0.audit })
    }

    public func put(_ record: ResourceRecord, history: HistoryEntry?, audit: AuditDraft?) throws {
        try writing { contents in
            contents.resources[record.address] = record
            if let history { contents.history.append(history) }
            if let audit { Self.appendAudit(audit, to: &contents) }
        }
    }

    public func remove(_ address: ResourceAddress, history: HistoryEntry?, audit: AuditDraft?) throws {
        try writing { contents in
            contents.resources[address] = nil
            if let history { contents.history.append(history) }
            if let audit { Self.appendAudit(audit, to: &contents) }
        }
    }

    public func depose(_ address: ResourceAddress, intent: ResourceRecord) throws {
        try writing { contents in
            if let current = contents.resources[address], current.status == .created {
                contents.deposed.removeAll { $0.address == address && $0.id == current.id }
                contents.deposed.append(current)
            }
            contents.resources[intent.address] = intent
        }
    }

    public func encryption() throws -> StateEncryption? {
        withContents { $0.encryption }
    }

    public func recordEncryption(_ encryption: StateEncryption) throws {
        try writing { contents in
            if contents.version == nil { _ = Self.create(&contents, stackID: UUID().uuidString.lowercased()) }
            contents.encryption = encryption
        }
    }

    public func reseal(to encryption: StateEncryption?, audit: AuditDraft, rewrite: StateRewrite) throws -> StateRewrite.Counts {
        try writing { contents in
            guard contents.version != nil else { throw StateError(.notFound, "there is no state in memory to re-encrypt") }
            // Everything is rewritten on a copy, which replaces the contents only when every rewrite succeeded.
            var copy = contents
            copy.resources = try copy.resources.mapValues(rewrite.record)
            copy.deposed = try copy.deposed.map(rewrite.record)
            copy.history = try copy.history.map(rewrite.history)
            copy.findings = try copy.findings.map(rewrite.finding)
            copy.outputs = try copy.outputs.map(rewrite.output)
            copy.encryption = encryption
            Self.appendAudit(audit, to: &copy)
            contents = copy
            return StateRewrite.Counts(resources: copy.resources.count, deposed: copy.deposed.count,
                                       history: copy.history.count, findings: copy.findings.count,
                                       outputs: copy.outputs.count)
        }
    }

    public func deposedObjects() throws -> [ResourceRecord] {
        withContents { contents in contents.deposed.sorted { ($0.address, $0.id) < ($1.address, $1.id) } }
    }

    public func removeDeposed(_ address: ResourceAddress, id: String, history: HistoryEntry?, audit: AuditDraft?) throws {
        try writing { contents in
            contents.deposed.removeAll { $0.address == address && $0.id == id }
            if let history { contents.history.append(history) }
        }
        if let audit { try appendAudit(who: audit.who, action: audit.action, target: audit.target, result: audit.result, at: audit.at) }
    }
}
