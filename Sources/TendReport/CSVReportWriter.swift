import Foundation
import TendModel

/// Writes RFC 4180 CSV: a header row, then one row per finding, CRLF line ends. Values are canonical
/// JSON text; fields holding a comma, a quote or a line break are quoted, quotes doubled.
struct CSVReportWriter {
    static let header = [
        "id", "address", "type", "kind", "path", "expected", "actual", "status",
        "first_seen", "last_seen", "resolved_at", "resolution", "file", "line", "context",
    ]

    let report: DriftReport

    func render() -> String {
        let capacity = CapacityEstimate.bytes(for: report.findings, fixed: 256) { finding in
            var sample = OutputBuffer(reservingCapacity: 512)
            writeRow(fields(finding), to: &sample)
            return sample.text.utf8.count
        }
        var out = OutputBuffer(reservingCapacity: capacity)
        writeRow(Self.header, to: &out)
        for finding in report.findings {
            writeRow(fields(finding), to: &out)
        }
        return out.text
    }

    private func fields(_ finding: ReportFinding) -> [String] {
        [
                String(finding.id),
                finding.address,
                finding.type,
                finding.kind.rawValue,
                finding.path ?? "",
                finding.expected?.canonicalJSON ?? "",
                finding.actual?.canonicalJSON ?? "",
                finding.isOpen ? "open" : "resolved",
                ReportDate.iso8601(finding.firstSeen),
                ReportDate.iso8601(finding.lastSeen),
                finding.resolvedAt.map(ReportDate.iso8601) ?? "",
                finding.resolution?.rawValue ?? "",
                finding.location?.file ?? "",
            finding.location.map { String($0.line) } ?? "",
            finding.context.isEmpty ? "" : Value.list(finding.context.map(\.value)).canonicalJSON,
        ]
    }

    private func writeRow(_ fields: [String], to out: inout OutputBuffer) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(",") }
            Self.appendField(field, to: &out)
        }
        out.append("\r\n")
    }

    static func appendField(_ field: String, to out: inout OutputBuffer) {
        let needsQuotes = field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { return out.append(field) }
        var quoted: [UInt8] = [0x22]
        quoted.reserveCapacity(field.utf8.count + 8)
        for byte in field.utf8 {
            quoted.append(byte)
            if byte == 0x22 { quoted.append(0x22) }
        }
        quoted.append(0x22)
        out.append(String(decoding: quoted, as: UTF8.self))
    }
}
