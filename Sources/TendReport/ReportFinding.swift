import Foundation
import TendModel

/// One drift finding, with its life so far.
public struct ReportFinding: Sendable, Hashable {
    /// What kind of drift a finding is.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// An attribute differs from the last applied state.
        case changed
        /// The object was deleted outside tend.
        case missing
        /// The object exists at the provider but not in state.
        case unmanaged
    }

    /// How a finding was closed.
    public enum Resolution: String, Sendable, Hashable, CaseIterable {
        /// tend put the object back to its desired state.
        case remediated
        /// The object went back by itself (someone undid the change).
        case reverted
        /// The change was accepted into the desired state.
        case accepted
    }

    /// The finding's id in state.
    public var id: Int64
    /// The resource address.
    public var address: String
    /// The resource type.
    public var type: String
    /// What kind of drift this is.
    public var kind: Kind
    /// The attribute path, for `changed` findings.
    public var path: String?
    /// The value tend expects, already redacted by the caller (`.string("(sensitive)")`).
    public var expected: Value?
    /// The value found, already redacted by the caller.
    public var actual: Value?
    /// The first time a run saw it.
    public var firstSeen: Date
    /// The last time a run saw it.
    public var lastSeen: Date
    /// When it was resolved; nil while open.
    public var resolvedAt: Date?
    /// How it was resolved.
    public var resolution: Resolution?
    /// Where the manifest declares the resource, when known.
    public var location: SourceLocation?
    /// Each run's verdict on it, oldest first.
    public var history: [FindingEvent]

    /// Whether the finding is still open.
    public var isOpen: Bool { resolvedAt == nil }

    /// Creates a finding.
    public init(
        id: Int64,
        address: String,
        type: String,
        kind: Kind,
        path: String? = nil,
        expected: Value? = nil,
        actual: Value? = nil,
        firstSeen: Date,
        lastSeen: Date,
        resolvedAt: Date? = nil,
        resolution: Resolution? = nil,
        location: SourceLocation? = nil,
        history: [FindingEvent] = []
    ) {
        self.id = id
        self.address = address
        self.type = type
        self.kind = kind
        self.path = path
        self.expected = expected
        self.actual = actual
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.resolvedAt = resolvedAt
        self.resolution = resolution
        self.location = location
        self.history = history
    }
}
