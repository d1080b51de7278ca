import Foundation
import TendModel

/// How a drift finding ended.
public enum DriftResolution: String, Sendable, Hashable, Codable, CaseIterable {
    /// tend changed the object back (apply, or drift --remediate).
    case remediated
    /// The object went back to its applied state without tend.
    case reverted
    /// The observed values were accepted as the new applied state (`tend drift accept`).
    case accepted
}

/// One difference seen by a drift run, before it is matched to the findings already recorded.
public struct ObservedFinding: Sendable, Hashable {
    /// A managed address, or `type:id` for an unmanaged object.
    public var address: String
    public var type: String
    public var kind: DriftChange.Kind
    /// The attribute path for `changed`; empty otherwise.
    public var path: String
    /// Redacted already: sensitive values arrive as the marker.
    public var expected: Value?
    public var actual: Value?
    /// Computed attributes that changed because this one did, redacted like the values.
    public var context: [FindingContext]

    public init(address: String, type: String, kind: DriftChange.Kind, path: String = "", expected: Value? = nil, actual: Value? = nil,
                context: [FindingContext] = []) {
        self.address = address
        self.type = type
        self.kind = kind
        self.path = path
        self.expected = expected
        self.actual = actual
        self.context = context
    }

    /// Findings are the same finding across runs when address, kind and path match.
    public var key: String { "\(address)\u{1F}\(kind.rawValue)\u{1F}\(path)" }
}

/// A recorded drift finding with its lifecycle.
public struct DriftFinding: Sendable, Hashable, Codable {
    public var id: Int64
    /// The drift run that first saw it.
    public var runID: Int64
    public var address: String
    public var type: String
    public var kind: DriftChange.Kind
    public var path: String
    public var expected: Value?
    public var actual: Value?
    public var firstSeen: Date
    public var lastSeen: Date
    public var resolvedAt: Date?
    public var resolution: DriftResolution?
    /// The drift run that saw it gone (reverted); nil when resolved by apply, remediation or accept.
    public var resolvedRunID: Int64?
    /// Computed attributes that changed because this one did, as last seen.
    public var context: [FindingContext]

    public init(id: Int64, runID: Int64, address: String, type: String, kind: DriftChange.Kind, path: String,
                expected: Value?, actual: Value?, firstSeen: Date, lastSeen: Date, resolvedAt: Date?,
                resolution: DriftResolution?, resolvedRunID: Int64? = nil, context: [FindingContext] = []) {
        self.resolvedRunID = resolvedRunID
        self.context = context
        self.id = id
        self.runID = runID
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
    }

    public var isOpen: Bool { resolvedAt == nil }

    public var key: String { "\(address)\u{1F}\(kind.rawValue)\u{1F}\(path)" }
}

/// A drift run sighting a finding.
public struct DriftSighting: Sendable, Hashable, Codable {
    public var findingID: Int64
    public var runID: Int64
    public var at: Date

    public init(findingID: Int64, runID: Int64, at: Date) {
        self.findingID = findingID
        self.runID = runID
        self.at = at
    }
}

/// What recording one drift run changed.
public struct DriftRecording: Sendable, Hashable {
    /// Findings first seen in this run.
    public var opened: [DriftFinding]
    /// Findings seen before and still present.
    public var stillOpen: [DriftFinding]
    /// Findings that were open and are no longer seen (resolved as reverted outside tend).
    public var resolved: [DriftFinding]

    public init(opened: [DriftFinding] = [], stillOpen: [DriftFinding] = [], resolved: [DriftFinding] = []) {
        self.opened = opened
        self.stillOpen = stillOpen
        self.resolved = resolved
    }
}
