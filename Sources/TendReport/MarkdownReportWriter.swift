import Foundation
import TendModel

/// Writes a Markdown summary short enough for a pull request: a title, a one-row summary table,
/// then the open findings (at most `rowLimit` rows, then "…and N more").
struct MarkdownReportWriter {
    /// The most finding rows shown.
    static let rowLimit = 50
    /// The most characters of a value shown in a cell before it is cut with "…".
    static let valueLimit = 80

    let report: DriftReport

    func render() -> String {
        var out = OutputBuffer(reservingCapacity: 8192)
        let summary = report.summary
        out.append("# Drift report: \(Self.escapePlain(report.stack))\n\n")
        let window = report.since.map { "since \(ReportDate.iso8601($0))" } ?? "all history"
        out.append("Generated \(ReportDate.iso8601(report.generatedAt)), window: \(window).\n\n")
        out.append("| Managed | Changed | Missing | Unmanaged | Coverage | Cloud defaults |\n")
        out.append("|---:|---:|---:|---:|---:|---:|\n")
        out.append("| \(summary.totalManaged) | \(summary.totalChanged) | \(summary.totalMissing) ")
        out.append("| \(summary.totalUnmanaged) | \(Self.percent(summary.coverage)) | \(summary.totalDefaults) |\n\n")

        let open = report.findings.lazy.filter(\.isOpen)
        let openCount = open.count
        guard openCount > 0 else {
            out.append("No open drift.\n")
            return out.text
        }
        out.append("## Open findings (\(openCount))\n\n")
        out.append("| Address | Kind | Path | Expected → Actual | First seen |\n")
        out.append("|---|---|---|---|---|\n")
        for finding in open.prefix(Self.rowLimit) {
            out.append("| \(Self.code(finding.address)) | \(finding.kind.rawValue) | ")
            out.append(finding.path.map(Self.code) ?? "—")
            out.append(" | \(Self.change(finding)) | \(ReportDate.iso8601(finding.firstSeen)) |\n")
        }
        if openCount > Self.rowLimit {
            out.append("\n…and \(openCount - Self.rowLimit) more\n")
        }
        writeChanges(open.prefix(Self.rowLimit), to: &out)
        return out.text
    }

    /// Below the table, for the findings shown: multi-line values as unified diffs, and what changed with each.
    private func writeChanges(_ findings: some Sequence<ReportFinding>, to out: inout OutputBuffer) {
        var wroteHeading = false
        for finding in findings {
            let diff = finding.diff
            guard diff != nil || !finding.context.isEmpty else { continue }
            if !wroteHeading {
                out.append("\n## Changes\n")
                wroteHeading = true
            }
            out.append("\n### \(Self.code(finding.address))\(finding.path.map { " " + Self.code($0) } ?? "")\n\n")
            if let diff {
                let text = diff.map(\.rendered).joined(separator: "\n")
                let fence = String(repeating: "`", count: max(3, Self.longestBacktickRun(in: text) + 1))
                out.append("\(fence)diff\n\(text)\n\(fence)\n\n")
            }
            for context in finding.context {
                let cells = ReportFinding.cells(expected: context.expected, actual: context.actual, limit: Self.valueLimit)
                out.append("- with \(Self.code(context.path)): \(cells.expected.map(Self.code) ?? "—") → ")
                out.append("\(cells.actual.map(Self.code) ?? "—")\n")
            }
        }
    }

    /// Coverage with one decimal, as `87.5%`.
    static func percent(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let tenths = Int64(saturating: (value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))%"
    }

    private static func change(_ finding: ReportFinding) -> String {
        let cells = finding.cells(limit: valueLimit)
        var text = "\(cells.expected.map(code) ?? "—") → \(cells.actual.map(code) ?? "—")"
        if finding.diff != nil { text += " (diff below)" }
        if !finding.context.isEmpty { text += " (with " + finding.context.map { code($0.path) }.joined(separator: ", ") + ")" }
        return text
    }

    private static func longestBacktickRun(in text: String) -> Int {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    /// A code span safe in a table cell: pipes escaped, line breaks shown as `\n`, and a fence longer
    /// than any backtick run inside.
    static func code(_ text: String) -> String {
        let flat = flattenLines(text).replacingOccurrences(of: "|", with: "\\|")
        let fence = String(repeating: "`", count: longestBacktickRun(in: flat) + 1)
        let padding = flat.hasPrefix("`") || flat.hasSuffix("`") ? " " : ""
        return fence + padding + flat + padding + fence
    }

    /// Text outside code spans: line breaks shown as `\n`, pipes and other Markdown marks escaped.
    static func escapePlain(_ text: String) -> String {
        var out = ""
        for character in flattenLines(text) {
            if "\\`*_[]<>|#".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    private static func flattenLines(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "\\n")
    }
}
