/// The formats `tend report` writes.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    /// Machine-readable JSON with sorted keys (schema in `docs/report-schema.json`).
    case json
    /// A short summary to paste into a pull request.
    case markdown
    /// One self-contained page with summary cards, a drift-over-time chart and the findings.
    case html
    /// RFC 4180 CSV, one row per finding.
    case csv
    /// JUnit XML: one test case per managed resource, failing when drifted.
    case junit
    /// SARIF 2.1.0, one result per open finding, for code-scanning tools.
    case sarif
}
