import Foundation
import TendModel

/// The state of one stack, through an async API: what the engine, drift reports and runners use.
///
/// Every call runs the blocking store underneath (SQLite, libpq, or memory) on `StateLane`'s threads, never on one of
/// Swift's cooperative threads, and returns when it is done. The semantics are the `StateStore` protocol's, call for
/// call: one transaction per write, the lock as a lease with a fencing token that every write of its holder checks,
/// the serial advanced by compare-and-swap. Nothing here depends on where the state lives.
public struct StackState: Sendable {
    /// The stack this state belongs to: the key it was opened by.
    public let stack: String
    /// The blocking store underneath, for tools that copy, rekey or inspect a state wholesale (`tend state migrate`,
    /// `tend state rekey`, whose rewrite runs inside one store transaction).
    public let store: any StateStore

    /// The threads its calls run on.
    let lane: StateLane

    /// The state of `stack` kept by `store`.
    public init(stack: String, store: any StateStore) {
        self.init(stack: stack, store: store, lane: .shared)
    }

    /// The state of `stack` kept by `store`, its calls run on `lane` (tests give it a lane of its own).
    init(stack: String, store: any StateStore, lane: StateLane) {
        self.stack = stack
        self.store = store
        self.lane = lane
    }

    /// Runs `body` with the store on the state threads.
    public func call<Result: Sendable>(_ body: @escaping @Sendable (any StateStore) throws -> Result) async throws -> Result {
        let store = store
        return try await lane.run { try body(store) }
    }

    // MARK: Reading

    public func version() async throws -> StateVersion? { try await call { try $0.version() } }
    public func resources() async throws -> [ResourceRecord] { try await call { try $0.resources() } }
    public func resources(sharing: SharedStrings) async throws -> [ResourceRecord] {
        try await call { try $0.resources(sharing: sharing) }
    }
    public func resourceSummaries() async throws -> [ResourceRecord] { try await call { try $0.resourceSummaries() } }
    public func resource(_ address: ResourceAddress) async throws -> ResourceRecord? { try await call { try $0.resource(address) } }
    public func stackID() async throws -> String? { try await call { try $0.stackID() } }
    public func deposedObjects() async throws -> [ResourceRecord] { try await call { try $0.deposedObjects() } }
    public func outputs() async throws -> [OutputValue] { try await call { try $0.outputs() } }
    public func history(address: ResourceAddress?, limit: Int) async throws -> [HistoryEntry] {
        try await call { try $0.history(address: address, limit: limit) }
    }
    public func runs(limit: Int) async throws -> [RunRecord] { try await call { try $0.runs(limit: limit) } }
    public func auditLog() async throws -> [AuditEntry] { try await call { try $0.auditLog() } }
    public func verifyAuditChain() async throws -> Int64? { try await call { try $0.verifyAuditChain() } }
    public func driftFindings(address: String?, since: Date?) async throws -> [DriftFinding] {
        try await call { try $0.driftFindings(address: address, since: since) }
    }
    public func driftSightings(since: Date?) async throws -> [DriftSighting] { try await call { try $0.driftSightings(since: since) } }
    public func currentLock() async throws -> LockInfo? { try await call { try $0.currentLock() } }
    public func encryption() async throws -> StateEncryption? { try await call { try $0.encryption() } }

    // MARK: Versions and edits

    public func initialize() async throws -> StateVersion { try await call { try $0.initialize() } }
    @discardableResult
    public func recordStackID(_ id: String) async throws -> StateVersion { try await call { try $0.recordStackID(id) } }
    public func advanceSerial(from expected: StateVersion?) async throws -> StateVersion {
        try await call { try $0.advanceSerial(from: expected) }
    }
    @discardableResult
    public func move(from source: ResourceAddress, to destination: ResourceAddress, audit: AuditDraft) async throws -> StateVersion {
        try await call { try $0.move(from: source, to: destination, audit: audit) }
    }
    @discardableResult
    public func forget(_ address: ResourceAddress, audit: AuditDraft) async throws -> StateVersion {
        try await call { try $0.forget(address, audit: audit) }
    }
    @discardableResult
    public func accept(_ acceptance: DriftAcceptance) async throws -> [DriftFinding] { try await call { try $0.accept(acceptance) } }

    // MARK: Resources

    public func put(_ record: ResourceRecord, history: HistoryEntry?, audit: AuditDraft? = nil) async throws {
        try await call { try $0.put(record, history: history, audit: audit) }
    }
    public func remove(_ address: ResourceAddress, history: HistoryEntry?, audit: AuditDraft? = nil) async throws {
        try await call { try $0.remove(address, history: history, audit: audit) }
    }
    public func depose(_ address: ResourceAddress, intent: ResourceRecord) async throws {
        try await call { try $0.depose(address, intent: intent) }
    }
    public func removeDeposed(_ address: ResourceAddress, id: String, history: HistoryEntry?, audit: AuditDraft?) async throws {
        try await call { try $0.removeDeposed(address, id: id, history: history, audit: audit) }
    }
    public func replaceOutputs(_ outputs: [OutputValue]) async throws { try await call { try $0.replaceOutputs(outputs) } }

    // MARK: Runs, audit and drift

    public func beginRun(kind: String, at: Date, actor: String) async throws -> Int64 {
        try await call { try $0.beginRun(kind: kind, at: at, actor: actor) }
    }
    public func finishRun(_ id: Int64, outcome: String, counts: [String: Int], at: Date) async throws {
        try await call { try $0.finishRun(id, outcome: outcome, counts: counts, at: at) }
    }
    public func appendAudit(who: String, action: String, target: String, result: String, at: Date) async throws {
        try await call { try $0.appendAudit(who: who, action: action, target: target, result: result, at: at) }
    }
    public func recordDrift(runID: Int64, findings: [ObservedFinding], scope: Set<String>, at: Date) async throws -> DriftRecording {
        try await call { try $0.recordDrift(runID: runID, findings: findings, scope: scope, at: at) }
    }
    @discardableResult
    public func resolveFindings(address: String?, resolution: DriftResolution, at: Date) async throws -> [DriftFinding] {
        try await call { try $0.resolveFindings(address: address, resolution: resolution, at: at) }
    }

    // MARK: The lock

    public func lock(_ info: LockInfo) async throws { try await call { try $0.lock(info) } }
    public func unlock(id: String) async throws { try await call { try $0.unlock(id: id) } }
    public func forceUnlock(id: String) async throws { try await call { try $0.forceUnlock(id: id) } }
    @discardableResult
    public func breakStaleLock(_ stale: LockInfo, taking info: LockInfo, audit: AuditDraft) async throws -> Int {
        try await call { try $0.breakStaleLock(stale, taking: info, audit: audit) }
    }

    // MARK: Encryption

    public func recordEncryption(_ encryption: StateEncryption) async throws { try await call { try $0.recordEncryption(encryption) } }
}
