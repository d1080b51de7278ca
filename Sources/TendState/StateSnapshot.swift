import Foundation
import TendModel

/// Everything one stack's state holds, read through the `StateStore` contract: what `tend state migrate` copies from
/// one store to another (`StateImporting`).
public struct StateSnapshot: Sendable, Hashable {
    public var version: StateVersion
    public var stackID: String?
    /// How the values are encrypted (docs/state-encryption.md): they are copied sealed as they are, with the check.
    public var encryption: StateEncryption?
    public var resources: [ResourceRecord]
    public var deposed: [ResourceRecord]
    /// Oldest first.
    public var history: [HistoryEntry]
    /// Oldest first.
    public var runs: [RunRecord]
    /// Oldest first.
    public var findings: [DriftFinding]
    public var sightings: [DriftSighting]
    /// Oldest first, hashes as recorded.
    public var audit: [AuditEntry]
    /// The outputs the last apply recorded, by name.
    public var outputs: [OutputValue]

    /// Reads the whole state of `store`; nil when it has none.
    public init?(reading store: any StateStore) throws {
        guard let version = try store.version() else { return nil }
        self.version = version
        stackID = try store.stackID()
        encryption = try store.encryption()
        resources = try store.resources()
        deposed = try store.deposedObjects()
        history = try store.history(address: nil, limit: 0).reversed()
        runs = try store.runs(limit: 0).reversed()
        findings = try store.driftFindings(address: nil, since: nil)
        sightings = try store.driftSightings(since: nil)
        audit = try store.auditLog()
        outputs = try store.outputs()
    }

    /// What it holds, for messages: `3 resources, 12 history entries, 4 runs, 2 drift findings, 9 audit rows`.
    public var summary: String {
        func count(_ number: Int, _ noun: String, _ plural: String? = nil) -> String {
            "\(number) \(number == 1 ? noun : plural ?? noun + "s")"
        }
        return [
            count(resources.count, "resource"), count(history.count, "history entry", "history entries"),
            count(runs.count, "run"), count(findings.count, "drift finding"), count(audit.count, "audit row"),
        ].joined(separator: ", ") + (deposed.isEmpty ? "" : ", " + count(deposed.count, "deposed object"))
    }

    /// The run ids of the copy: runs get new ids where they land; references to a run not copied stay as they were.
    static func mapped(_ id: Int64, _ runs: [Int64: Int64]) -> Int64 {
        runs[id] ?? id
    }
}
