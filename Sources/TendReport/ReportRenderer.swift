/// Renders a drift report in any of the report formats. Rendering is pure and deterministic:
/// the same report gives the same bytes; dates are ISO 8601 in UTC.
public struct ReportRenderer: Sendable {

    /// Renders `report` as text in `format`.
    public static func render(_ report: DriftReport, as format: ReportFormat) -> String {
        switch format {
        case .json: return JSONReportWriter(report: report).render()
        case .markdown: return MarkdownReportWriter(report: report).render()
        case .html: return HTMLReportWriter(report: report).render()
        case .csv: return CSVReportWriter(report: report).render()
        case .junit: return JUnitReportWriter(report: report).render()
        case .sarif: return SARIFReportWriter(report: report).render()
        }
    }
}
