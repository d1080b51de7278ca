// TendReport exports drift, as recorded over time, in formats other tools read:
// JSON, Markdown, HTML, CSV, JUnit XML and SARIF. It owns the report model and
// the writers. It imports only TendModel: it never sees state, providers or the
// engine, and does no I/O; the CLI builds a `DriftReport` and prints the text.

import Foundation
import TendModel

/// Everything a drift report shows: a summary, the managed resources, the findings in the window,
/// and one point per drift run for the chart.
public struct DriftReport: Sendable {
    /// When the report was made (passed in by the caller; nothing here reads the clock).
    public var generatedAt: Date
    /// The stack the report covers.
    public var stack: String
    /// The window start; nil means all recorded history.
    public var since: Date?
    /// Totals and coverage.
    public var summary: DriftSummary
    /// Every managed resource (JUnit shows one test case each).
    public var resources: [ReportResource]
    /// Every finding in the window, open and resolved, sorted by address, then path.
    public var findings: [ReportFinding]
    /// One point per recorded drift run in the window, oldest first.
    public var runs: [DriftRunPoint]

    /// Creates a report from its parts.
    public init(
        generatedAt: Date,
        stack: String,
        since: Date? = nil,
        summary: DriftSummary,
        resources: [ReportResource],
        findings: [ReportFinding],
        runs: [DriftRunPoint]
    ) {
        self.generatedAt = generatedAt
        self.stack = stack
        self.since = since
        self.summary = summary
        self.resources = resources
        self.findings = findings
        self.runs = runs
    }
}
