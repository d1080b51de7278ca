import Foundation
import TendModel
import TendState

/// The JSON body POSTed to webhooks after a run that opened or resolved findings (keys sorted):
/// `{"at","event":"drift","new":[…],"resolved":[…],"run_id","stack","summary":{…}}`.
public enum WebhookPayload {
    /// The body for a run, or nil when nothing was opened or resolved.
    public static func body(for report: WatchRunReport) -> [UInt8]? {
        guard report.isNewsworthy else { return nil }
        return Array(value(for: report).canonicalJSON.utf8)
    }

    /// The payload as a value.
    public static func value(for report: WatchRunReport) -> Value {
        .map([
            "event": .string("drift"),
            "stack": .string(report.stack),
            "run_id": .number(Number(report.runID)),
            "at": .string(timestamp(report.finishedAt)),
            "new": .list(sorted(report.opened).map(value(for:))),
            "resolved": .list(sorted(report.resolved).map(value(for:))),
            "summary": .map([
                "total_managed": .number(Number(report.managedCount)),
                "total_changed": .number(Number(report.changedCount)),
                "total_missing": .number(Number(report.missingCount)),
                "total_unmanaged": .number(Number(report.unmanagedCount)),
                "total_defaults": .number(Number(report.defaultsCount)),
                "coverage": .number(Number((report.coverage * 10).rounded() / 10) ?? 0),
                "new": .number(Number(report.opened.count)),
                "resolved": .number(Number(report.resolved.count)),
                "open": .number(Number(report.open.count)),
                "remediated": .list(report.remediated.sorted().map(Value.string)),
            ]),
        ])
    }

    /// One finding, shaped as in `tend drift --json`.
    public static func value(for finding: DriftFinding) -> Value {
        var entry: [String: Value] = [
            "id": .number(Number(finding.id)),
            "address": .string(finding.address),
            "type": .string(finding.type),
            "kind": .string(finding.kind.rawValue),
            "first_seen": .string(timestamp(finding.firstSeen)),
            "last_seen": .string(timestamp(finding.lastSeen)),
            "status": .string(finding.isOpen ? "open" : "resolved"),
        ]
        if !finding.path.isEmpty { entry["path"] = .string(finding.path) }
        if let expected = finding.expected { entry["expected"] = bounded(expected) }
        if let actual = finding.actual { entry["actual"] = bounded(actual) }
        if let diff = ValueDiff.lines(expected: finding.expected, actual: finding.actual, maxLines: maxDiffLines) {
            entry["diff"] = .string(bounded(diff.map(\.rendered).joined(separator: "\n")))
        }
        if !finding.context.isEmpty {
            entry["context"] = .list(finding.context.map { context in
                FindingContext(path: context.path, expected: context.expected.map(bounded), actual: context.actual.map(bounded)).value
            })
        }
        if let resolvedAt = finding.resolvedAt { entry["resolved_at"] = .string(timestamp(resolvedAt)) }
        if let resolution = finding.resolution { entry["resolution"] = .string(resolution.rawValue) }
        return .map(entry)
    }

    /// The most lines of a unified diff a finding carries in a webhook body.
    static let maxDiffLines = 60
    /// The most bytes of any one string a finding carries in a webhook body: a changed file of megabytes must not
    /// make a body a receiver refuses.
    static let maxStringBytes = 4096

    /// Strings longer than `maxStringBytes` cut there (at a character boundary), with how long they were.
    static func bounded(_ value: Value) -> Value {
        guard case let .string(text) = value else { return value }
        return .string(bounded(text))
    }

    private static func bounded(_ text: String) -> String {
        guard text.utf8.count > maxStringBytes else { return text }
        var cut = ""
        var bytes = 0
        for character in text {
            bytes += character.utf8.count
            if bytes > maxStringBytes { break }
            cut.append(character)
        }
        return cut + "… (\(text.utf8.count) bytes in all)"
    }

    private static func sorted(_ findings: [DriftFinding]) -> [DriftFinding] {
        findings.sorted { ($0.address, $0.kind.rawValue, $0.path, $0.id) < ($1.address, $1.kind.rawValue, $1.path, $1.id) }
    }

    /// ISO 8601 in UTC, to the second.
    static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
