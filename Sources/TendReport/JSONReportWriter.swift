import TendModel

/// Writes the JSON report: sorted keys, the outer document indented, each finding and run on one
/// line (so line-based tools and diffs work on big reports). Schema: `docs/report-schema.json`.
struct JSONReportWriter {
    /// The version of the document's shape; bumped when a field changes meaning or goes away.
    static let formatVersion = "1.0"

    let report: DriftReport

    func render() -> String {
        let capacity = CapacityEstimate.bytes(for: report.findings, fixed: 1024 + report.runs.count * 120) { finding in
            var sample = JSONEmitter(reservingCapacity: 1024)
            write(finding, to: &sample)
            return sample.text.utf8.count + 4
        }
        var json = JSONEmitter(reservingCapacity: capacity)
        json.beginObject()
        json.key("findings")
        json.beginArray()
        for finding in report.findings {
            json.element()
            write(finding, to: &json)
        }
        json.endArray()
        json.field("format_version", string: Self.formatVersion)
        json.field("generated_at", date: report.generatedAt)
        json.key("runs")
        json.beginArray()
        for run in report.runs {
            json.element()
            write(run, to: &json)
        }
        json.endArray()
        json.field("since", date: report.since)
        json.field("stack", string: report.stack)
        json.key("summary")
        writeSummary(to: &json)
        json.endObject()
        json.finish()
        return json.text
    }

    private func writeSummary(to json: inout JSONEmitter) {
        let summary = report.summary
        json.beginObject()
        json.key("coverage")
        json.number(summary.coverage)
        json.field("total_changed", integer: summary.totalChanged)
        json.field("total_defaults", integer: summary.totalDefaults)
        json.field("total_managed", integer: summary.totalManaged)
        json.field("total_missing", integer: summary.totalMissing)
        json.field("total_resources", integer: summary.totalResources)
        json.field("total_unmanaged", integer: summary.totalUnmanaged)
        json.endObject()
    }

    private func write(_ finding: ReportFinding, to json: inout JSONEmitter) {
        json.beginObject(compact: true)
        json.field("actual", value: finding.actual)
        json.field("address", string: finding.address)
        json.field("context", value: .list(finding.context.map(\.value)))
        json.field("expected", value: finding.expected)
        json.field("first_seen", date: finding.firstSeen)
        json.key("history")
        json.beginArray()
        for event in finding.history {
            json.element()
            json.beginObject()
            json.field("at", date: event.at)
            json.field("run_id", integer: event.runID)
            json.field("status", string: event.status)
            json.endObject()
        }
        json.endArray()
        json.field("id", integer: finding.id)
        json.field("kind", string: finding.kind.rawValue)
        json.field("last_seen", date: finding.lastSeen)
        json.key("location")
        write(finding.location, to: &json)
        json.field("path", string: finding.path)
        json.field("resolution", string: finding.resolution?.rawValue)
        json.field("resolved_at", date: finding.resolvedAt)
        json.field("status", string: finding.isOpen ? "open" : "resolved")
        json.field("type", string: finding.type)
        json.endObject()
    }

    private func write(_ location: SourceLocation?, to json: inout JSONEmitter) {
        guard let location else { return json.null() }
        json.beginObject()
        json.field("column", integer: location.column)
        json.field("file", string: location.file)
        json.field("line", integer: location.line)
        json.endObject()
    }

    private func write(_ run: DriftRunPoint, to json: inout JSONEmitter) {
        json.beginObject(compact: true)
        json.field("at", date: run.at)
        json.field("changed", integer: run.changed)
        json.field("missing", integer: run.missing)
        json.field("outcome", string: run.outcome)
        json.field("run_id", integer: run.runID)
        json.field("unmanaged", integer: run.unmanaged)
        json.endObject()
    }
}
