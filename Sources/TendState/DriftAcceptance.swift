import Foundation
import TendModel

/// What `tend drift accept` writes, in one transaction (`StateStore.accept(_:)`).
public struct DriftAcceptance: Sendable, Hashable {
    /// The resource as it exists now: the new applied state.
    public var record: ResourceRecord
    /// Attributes before, for the history entry, with sensitive values already redacted by the caller.
    public var before: [String: Value]?
    /// Attributes after, for the history entry, redacted like `before`.
    public var after: [String: Value]?
    /// The audit row.
    public var audit: AuditDraft
    /// When it was accepted: the run, the history entry and the findings' resolution carry this time.
    public var at: Date

    /// Creates an acceptance.
    public init(record: ResourceRecord, before: [String: Value]?, after: [String: Value]?, audit: AuditDraft, at: Date) {
        self.record = record
        self.before = before
        self.after = after
        self.audit = audit
        self.at = at
    }

    /// The kind of the run an acceptance records.
    public static let runKind = "drift-accept"
}
