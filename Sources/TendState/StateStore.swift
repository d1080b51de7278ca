// TendState owns where state lives: the StateStore contract, its SQLite store,
// its PostgreSQL store (libpq) for teams, and an in-memory one for tests. It
// imports TendModel (and the C libraries) only; it never sees config, providers
// or the engine.

import Foundation
import TendModel

/// Identity of a state: a lineage fixed at creation and a serial bumped by every apply that changes something.
public struct StateVersion: Sendable, Hashable, Codable {
    public var lineage: String
    public var serial: Int

    public init(lineage: String, serial: Int) {
        self.lineage = lineage
        self.serial = serial
    }
}

/// Who holds the state lock.
public struct LockInfo: Sendable, Hashable, Codable {
    public var id: String
    public var holder: String
    public var operation: String
    public var pid: Int32
    public var host: String
    public var since: Date
    /// The holder process's identity on its host (`LocalProcess.identity(pid:)`: boot id and start time), so a
    /// pid reused by another process after a crash is not taken for the holder; nil when it could not be told.
    public var process: String?

    public init(id: String, holder: String, operation: String, pid: Int32, host: String, since: Date,
                process: String? = nil) {
        self.id = id
        self.holder = holder
        self.operation = operation
        self.pid = pid
        self.host = host
        self.since = since
        self.process = process
    }
}

/// One run of a command.
public struct RunRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var kind: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var outcome: String?
    /// Counts such as `created`, `updated`, `deleted`, `failed`, `skipped`.
    public var counts: [String: Int]
    /// Who ran it and where, `user@host` (the operating-system user and host name); nil for a run an older tend
    /// recorded.
    public var actor: String?

    public init(id: Int64, kind: String, startedAt: Date, finishedAt: Date?, outcome: String?, counts: [String: Int],
                actor: String? = nil) {
        self.id = id
        self.kind = kind
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.counts = counts
        self.actor = actor
    }
}

/// One change in the history of applied changes.
public struct HistoryEntry: Sendable, Hashable, Codable {
    public var serial: Int
    public var runID: Int64
    public var address: ResourceAddress
    public var action: String
    /// Attributes before, JSON with sensitive values already redacted by the caller.
    public var before: [String: Value]?
    public var after: [String: Value]?
    public var at: Date

    public init(serial: Int, runID: Int64, address: ResourceAddress, action: String,
                before: [String: Value]?, after: [String: Value]?, at: Date) {
        self.serial = serial
        self.runID = runID
        self.address = address
        self.action = action
        self.before = before
        self.after = after
        self.at = at
    }
}

/// One row of the append-only audit log; each row carries the hash of the one before it.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var sequence: Int64
    public var at: Date
    public var who: String
    public var action: String
    public var target: String
    public var result: String
    public var previousHash: String
    public var hash: String

    public init(sequence: Int64, at: Date, who: String, action: String, target: String, result: String,
                previousHash: String, hash: String) {
        self.sequence = sequence
        self.at = at
        self.who = who
        self.action = action
        self.target = target
        self.result = result
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// An audit row to append: who did what to which target, with what result, when.
public struct AuditDraft: Sendable, Hashable {
    public var who: String
    public var action: String
    public var target: String
    public var result: String
    public var at: Date

    public init(who: String, action: String, target: String, result: String, at: Date) {
        self.who = who
        self.action = action
        self.target = target
        self.result = result
        self.at = at
    }
}

/// Where state lives. Every write is its own transaction: a crash loses at most the operation in flight.
public protocol StateStore: Sendable {
    /// The current lineage and serial; nil when no state was ever written.
    func version() throws -> StateVersion?

    /// Every managed resource, sorted by address.
    func resources() throws -> [ResourceRecord]

    /// Every managed resource, sorted by address; a string attribute byte for byte equal to
    /// `sharing[address][key]` is that same string (one buffer for the configuration's text and the state's).
    func resources(sharing: SharedStrings) throws -> [ResourceRecord]

    /// Every managed resource without its attributes (empty), sorted by address: cheap for large states.
    func resourceSummaries() throws -> [ResourceRecord]

    /// One resource.
    func resource(_ address: ResourceAddress) throws -> ResourceRecord?

    /// Creates the state (new lineage, serial 0, a new stack id) when none exists, and returns its version.
    func initialize() throws -> StateVersion

    /// The stack id recorded with the state: what `tend:stack` tags carry and crash recovery searches by.
    /// Nil when there is no state, or when it was written by a tend that did not record one.
    func stackID() throws -> String?

    /// Records `id` as the stack id, replacing a different one, and creates the state (new lineage, serial 0)
    /// when there is none. Returns the state's version.
    @discardableResult
    func recordStackID(_ id: String) throws -> StateVersion

    /// Gives a resource a new address in one transaction: bumps the serial, renames the record and appends `audit`.
    /// Throws `.notFound` when `source` is not in state and `.conflict` when `destination` is; nothing is written then.
    @discardableResult
    func move(from source: ResourceAddress, to destination: ResourceAddress, audit: AuditDraft) throws -> StateVersion

    /// Forgets a resource in one transaction: bumps the serial, removes the record and appends `audit`.
    /// Throws `.notFound` when it is not in state; nothing is written then.
    @discardableResult
    func forget(_ address: ResourceAddress, audit: AuditDraft) throws -> StateVersion

    /// Records what exists as the applied state of one resource, in one transaction: bumps the serial, records a
    /// finished `drift-accept` run, writes the record with its history entry and audit row, and resolves the
    /// resource's open findings as accepted (returned). Throws `.notFound` when the resource is not in state.
    @discardableResult
    func accept(_ acceptance: DriftAcceptance) throws -> [DriftFinding]

    /// Advances the serial by one (once per apply that changes something) only when the state is still at
    /// `expected`, checking and writing in one transaction, and returns the new version. `expected` nil means no state
    /// yet: the state is then created at serial 1. Throws `.stale`, naming the version expected and the one found,
    /// when the state is at another lineage or serial (or exists when nil was expected); nothing is written then.
    func advanceSerial(from expected: StateVersion?) throws -> StateVersion

    /// Writes one resource and its history entry in one transaction.
    func put(_ record: ResourceRecord, history: HistoryEntry?) throws

    /// Writes one resource, its history entry and its audit row in one transaction.
    func put(_ record: ResourceRecord, history: HistoryEntry?, audit: AuditDraft?) throws

    /// Removes one resource and writes its history entry in one transaction.
    func remove(_ address: ResourceAddress, history: HistoryEntry?) throws

    /// Removes one resource and writes its history entry and audit row in one transaction.
    func remove(_ address: ResourceAddress, history: HistoryEntry?, audit: AuditDraft?) throws

    /// Moves the object recorded at `address` aside as deposed (the old half of a create_before_destroy
    /// replacement) and writes `intent`, the replacement's create-pending record, in its place: one transaction.
    func depose(_ address: ResourceAddress, intent: ResourceRecord) throws

    /// Deposed objects not deleted yet, sorted by address then id.
    func deposedObjects() throws -> [ResourceRecord]

    /// Forgets a deposed object once it is deleted, with its history entry and audit row, in one transaction.
    func removeDeposed(_ address: ResourceAddress, id: String, history: HistoryEntry?, audit: AuditDraft?) throws

    /// The outputs the last apply recorded, sorted by name.
    func outputs() throws -> [OutputValue]

    /// Replaces every recorded output with `outputs`, in one transaction.
    func replaceOutputs(_ outputs: [OutputValue]) throws

    /// Applied changes, newest first; only those of one address when given.
    func history(address: ResourceAddress?, limit: Int) throws -> [HistoryEntry]

    /// Starts a run by `actor` (`user@host`) and returns its id.
    func beginRun(kind: String, at: Date, actor: String) throws -> Int64

    /// Finishes a run.
    func finishRun(_ id: Int64, outcome: String, counts: [String: Int], at: Date) throws

    /// Runs, newest first.
    func runs(limit: Int) throws -> [RunRecord]

    /// Appends to the audit log, chaining the hash of the previous row.
    func appendAudit(who: String, action: String, target: String, result: String, at: Date) throws

    /// The audit log, oldest first.
    func auditLog() throws -> [AuditEntry]

    /// Recomputes the hash chain; returns the sequence of the first broken row, nil when intact.
    func verifyAuditChain() throws -> Int64?

    /// Records what one drift run saw, in one transaction: a finding seen before (same address, kind and path)
    /// is the same finding (last_seen moves on); a new one opens; an open finding of an address in `scope`
    /// that is no longer seen resolves as reverted outside tend.
    func recordDrift(runID: Int64, findings: [ObservedFinding], scope: Set<String>, at: Date) throws -> DriftRecording

    /// Resolves the open findings of an address (all when nil) with a resolution; returns them.
    @discardableResult
    func resolveFindings(address: String?, resolution: DriftResolution, at: Date) throws -> [DriftFinding]

    /// Findings, oldest first; of one address when given; only those seen at or after `since` when given.
    func driftFindings(address: String?, since: Date?) throws -> [DriftFinding]

    /// Every sighting of findings seen at or after `since`.
    func driftSightings(since: Date?) throws -> [DriftSighting]

    /// Takes the lock, or throws `StateError` with code `.locked` naming the holder (and whether it is stale).
    func lock(_ info: LockInfo) throws

    /// Releases the lock if `id` holds it.
    func unlock(id: String) throws

    /// The current lock, if any.
    func currentLock() throws -> LockInfo?

    /// Removes the lock with this id whoever holds it; throws when no such lock exists.
    func forceUnlock(id: String) throws

    /// Replaces `stale`, a lock whose holder is gone, with `info` in one transaction: runs left unfinished by the
    /// holder are finished with outcome `abandoned`, and `audit` is appended. Throws `.locked` (naming the holder)
    /// when the lock is no longer `stale` (another process broke or took it first); nothing is written then.
    /// Returns how many runs were finished.
    @discardableResult
    func breakStaleLock(_ stale: LockInfo, taking info: LockInfo, audit: AuditDraft) throws -> Int

    /// How this state's values are encrypted at rest (docs/state-encryption.md); nil when they are not.
    func encryption() throws -> StateEncryption?

    /// Records how values are encrypted from now on, creating the state (new lineage, serial 0) when there is none.
    func recordEncryption(_ encryption: StateEncryption) throws

    /// In one transaction: passes every resource, deposed object, history entry and drift finding through `rewrite` and writes back
    /// what it returns, records `encryption` (nil: values are no longer encrypted) and appends `audit`. When `rewrite`
    /// throws, nothing is written. Throws `.notFound` when there is no state.
    @discardableResult
    func reseal(to encryption: StateEncryption?, audit: AuditDraft, rewrite: StateRewrite) throws -> StateRewrite.Counts
}
