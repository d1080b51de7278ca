import Foundation
import TendModel

/// The `StateStore` contract over the base store: records and history entries sealed on the way in and opened on the
/// way out; everything else passed through once the key is known to open the state.
extension EncryptedStateStore {
    public func version() throws -> StateVersion? {
        _ = try opener()
        return try base.version()
    }

    public func resources() throws -> [ResourceRecord] {
        let sealer = try opener()
        return try base.resources().map { try open($0, with: sealer) }
    }

    public func resources(sharing: SharedStrings) throws -> [ResourceRecord] {
        let sealer = try opener()
        // Opened in place: a state of 10,000 records is not held twice on the way.
        var records = try base.resources(sharing: sharing)
        // Only records holding sealed values are replaced: copying every record out and back in costs a reference
        // count per field, for nothing in a state without a key.
        for index in records.indices where needsOpening(records[index], with: sealer) {
            records[index] = try sealer.open(records[index])
        }
        return records
    }

    public func resourceSummaries() throws -> [ResourceRecord] {
        _ = try opener()
        return try base.resourceSummaries()
    }

    public func resource(_ address: ResourceAddress) throws -> ResourceRecord? {
        let sealer = try opener()
        return try base.resource(address).map { try open($0, with: sealer) }
    }

    public func initialize() throws -> StateVersion {
        _ = try opener()
        return try base.initialize()
    }

    public func stackID() throws -> String? {
        _ = try opener()
        return try base.stackID()
    }

    public func recordStackID(_ id: String) throws -> StateVersion {
        _ = try opener()
        return try base.recordStackID(id)
    }

    public func move(from source: ResourceAddress, to destination: ResourceAddress, audit: AuditDraft) throws -> StateVersion {
        _ = try opener()
        return try base.move(from: source, to: destination, audit: audit)
    }

    public func forget(_ address: ResourceAddress, audit: AuditDraft) throws -> StateVersion {
        _ = try opener()
        return try base.forget(address, audit: audit)
    }

    public func accept(_ acceptance: DriftAcceptance) throws -> [DriftFinding] {
        let sealer = try sealer()
        var sealed = acceptance
        sealed.record = try sealer.seal(acceptance.record)
        // The history entry is built inside the store's transaction; its before and after are sealed like any entry's.
        let entry = try sealer.seal(HistoryEntry(serial: 0, runID: 0, address: acceptance.record.address, action: "accept",
                                                 before: acceptance.before, after: acceptance.after, at: acceptance.at))
        sealed.before = entry.before
        sealed.after = entry.after
        return try base.accept(sealed).map(sealer.open)
    }

    public func advanceSerial(from expected: StateVersion?) throws -> StateVersion {
        _ = try opener()
        return try base.advanceSerial(from: expected)
    }

    public func put(_ record: ResourceRecord, history: HistoryEntry?) throws {
        try put(record, history: history, audit: nil)
    }

    public func put(_ record: ResourceRecord, history: HistoryEntry?, audit: AuditDraft?) throws {
        let sealer = try sealer()
        try base.put(try sealer.seal(record), history: try history.map(sealer.seal), audit: audit)
    }

    public func remove(_ address: ResourceAddress, history: HistoryEntry?) throws {
        try remove(address, history: history, audit: nil)
    }

    public func remove(_ address: ResourceAddress, history: HistoryEntry?, audit: AuditDraft?) throws {
        let sealer = try opener()
        try base.remove(address, history: try history.map(sealer.seal), audit: audit)
    }

    public func depose(_ address: ResourceAddress, intent: ResourceRecord) throws {
        let sealer = try sealer()
        try base.depose(address, intent: try sealer.seal(intent))
    }

    public func deposedObjects() throws -> [ResourceRecord] {
        let sealer = try opener()
        return try base.deposedObjects().map { try open($0, with: sealer) }
    }

    public func removeDeposed(_ address: ResourceAddress, id: String, history: HistoryEntry?, audit: AuditDraft?) throws {
        let sealer = try opener()
        try base.removeDeposed(address, id: id, history: try history.map(sealer.seal), audit: audit)
    }

    public func history(address: ResourceAddress?, limit: Int) throws -> [HistoryEntry] {
        let sealer = try opener()
        return try base.history(address: address, limit: limit).map(sealer.open)
    }

    public func beginRun(kind: String, at: Date, actor: String) throws -> Int64 {
        _ = try opener()
        return try base.beginRun(kind: kind, at: at, actor: actor)
    }

    public func finishRun(_ id: Int64, outcome: String, counts: [String: Int], at: Date) throws {
        _ = try opener()
        try base.finishRun(id, outcome: outcome, counts: counts, at: at)
    }

    public func runs(limit: Int) throws -> [RunRecord] {
        _ = try opener()
        return try base.runs(limit: limit)
    }

    public func appendAudit(who: String, action: String, target: String, result: String, at: Date) throws {
        _ = try opener()
        try base.appendAudit(who: who, action: action, target: target, result: result, at: at)
    }

    public func auditLog() throws -> [AuditEntry] {
        _ = try opener()
        return try base.auditLog()
    }

    public func verifyAuditChain() throws -> Int64? {
        _ = try opener()
        return try base.verifyAuditChain()
    }

    public func recordDrift(runID: Int64, findings: [ObservedFinding], scope: Set<String>, at: Date) throws -> DriftRecording {
        let sealer = try sealer()
        let recording = try base.recordDrift(runID: runID, findings: try findings.map(sealer.seal), scope: scope, at: at)
        return try sealer.open(recording)
    }

    public func resolveFindings(address: String?, resolution: DriftResolution, at: Date) throws -> [DriftFinding] {
        let sealer = try opener()
        return try base.resolveFindings(address: address, resolution: resolution, at: at).map(sealer.open)
    }

    public func driftFindings(address: String?, since: Date?) throws -> [DriftFinding] {
        let sealer = try opener()
        return try base.driftFindings(address: address, since: since).map(sealer.open)
    }

    public func driftSightings(since: Date?) throws -> [DriftSighting] {
        _ = try opener()
        return try base.driftSightings(since: since)
    }

    public func lock(_ info: LockInfo) throws {
        _ = try opener()
        try base.lock(info)
    }

    public func unlock(id: String) throws {
        // Releasing a lock this process took must not depend on the key: the key was checked when it was taken.
        try base.unlock(id: id)
    }

    public func currentLock() throws -> LockInfo? {
        _ = try opener()
        return try base.currentLock()
    }

    public func forceUnlock(id: String) throws {
        _ = try opener()
        try base.forceUnlock(id: id)
    }

    public func breakStaleLock(_ stale: LockInfo, taking info: LockInfo, audit: AuditDraft) throws -> Int {
        _ = try opener()
        return try base.breakStaleLock(stale, taking: info, audit: audit)
    }

    public func encryption() throws -> StateEncryption? {
        _ = try opener()
        return try base.encryption()
    }

    public func recordEncryption(_ encryption: StateEncryption) throws {
        _ = try opener()
        try base.recordEncryption(encryption)
        recheck()
    }

    public func reseal(to encryption: StateEncryption?, audit: AuditDraft, rewrite: StateRewrite) throws -> StateRewrite.Counts {
        _ = try opener()
        defer { recheck() }
        return try base.reseal(to: encryption, audit: audit, rewrite: rewrite)
    }
}

/// Outputs: sensitive values sealed on the way in, opened on the way out.
extension EncryptedStateStore {
    public func outputs() throws -> [OutputValue] {
        let sealer = try opener()
        return try base.outputs().map { try sealer.open($0) }
    }

    public func replaceOutputs(_ outputs: [OutputValue]) throws {
        let sealer = try sealer()
        try base.replaceOutputs(try outputs.map { try sealer.seal($0) })
    }
}
