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
    /// Computed attributes that changed because this one did (a file's `sha256` and `size`), redacted like the
    /// values: shown with the finding, never findings of their own.
    public var context: [FindingContext]

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
        history: [FindingEvent] = [],
        context: [FindingContext] = []
    ) {
        self.context = context
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

extension ReportFinding {
    /// The most lines of a unified diff a report shows for one finding.
    static let maxDiffLines = 80

    /// The unified diff from the expected value to the actual one when they are multi-line text or JSON documents;
    /// nil when they read better side by side.
    var diff: [TextDiff.Line]? {
        ValueDiff.lines(expected: expected, actual: actual, maxLines: Self.maxDiffLines)
    }

    /// Both values as a table cell shows them: JSON text, a long single-line string cut down around its change,
    /// anything else longer than `limit` characters cut with "…". Nil for a missing side.
    func cells(limit: Int) -> (expected: String?, actual: String?) {
        Self.cells(expected: expected, actual: actual, limit: limit)
    }

    /// A changed finding in one line: `expected X, found Y` (or how many lines a multi-line value changed), and
    /// the computed attributes that changed with it.
    func changeSummary(limit: Int) -> String {
        let cells = cells(limit: limit)
        var text = "expected \(cells.expected ?? "null"), found \(cells.actual ?? "null")"
        if let diff {
            let removed = diff.filter { $0.kind == .removed }.count
            let added = diff.filter { $0.kind == .added }.count
            text += " (\(removed) line\(removed == 1 ? "" : "s") removed, \(added) added)"
        }
        if !context.isEmpty { text += "; with it " + context.map(\.path).joined(separator: ", ") + " changed" }
        return text
    }

    /// The same for any pair of values (a context item's).
    static func cells(expected: Value?, actual: Value?, limit: Int) -> (expected: String?, actual: String?) {
        if let cut = ValueDiff.shortened(expected: expected, actual: actual, width: limit) {
            return (Value.quote(cut.expected), Value.quote(cut.actual))
        }
        func shorten(_ text: String) -> String {
            text.utf8.count > limit && text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
        }
        return (expected.map { shorten($0.canonicalJSON) }, actual.map { shorten($0.canonicalJSON) })
    }
}
