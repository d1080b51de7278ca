import Foundation
import TendModel
import TendReport

/// The report most tests render: three resources, findings of every kind, open and resolved,
/// a redacted sensitive value, and a path and value full of CSV and Markdown hazards.
enum SampleReport {
    /// A secret the caller must redact; it must never reach any output.
    static let secret = "hunter2-s3cr3t"
    static let base = Date(timeIntervalSince1970: 1_714_564_800)  // 2024-05-01T12:00:00Z
    static let trickyPath = "tags[\"team|ops,eu\"]"
    static let trickyValue = "line1\nline2, \"quoted\""

    static func at(hours: Double) -> Date { base.addingTimeInterval(hours * 3600) }

    /// Stands in for the caller's redaction: sensitive values become "(sensitive)".
    static func redacted(_ value: Value, isSensitive: Bool) -> Value {
        isSensitive ? .string("(sensitive)") : value
    }

    static func make() -> DriftReport {
        let files = SourceLocation(file: "infra/files.yaml", line: 1, column: 1)
        let token = SourceLocation(file: "infra/files.yaml", line: 10, column: 3)
        let dirs = SourceLocation(file: "infra/dirs.yaml", line: 4, column: 1)
        let history = [
            FindingEvent(runID: 1, at: at(hours: -4), status: "open"),
            FindingEvent(runID: 2, at: at(hours: -3), status: "open"),
        ]
        let findings = [
            ReportFinding(id: 3, address: "local_dir.cache", type: "local_dir", kind: .missing,
                          firstSeen: at(hours: -2), lastSeen: at(hours: -1), location: dirs, history: history),
            ReportFinding(id: 1, address: "local_file.config", type: "local_file", kind: .changed, path: "content",
                          expected: redacted(.string(secret), isSensitive: true),
                          actual: redacted(.string(secret + "-changed"), isSensitive: true),
                          firstSeen: at(hours: -4), lastSeen: at(hours: -1), location: files, history: history),
            ReportFinding(id: 2, address: "local_file.config", type: "local_file", kind: .changed, path: trickyPath,
                          expected: .string(trickyValue), actual: .string("a|b"),
                          firstSeen: at(hours: -4), lastSeen: at(hours: -1), location: files, history: history),
            ReportFinding(id: 5, address: "local_file.old", type: "local_file", kind: .unmanaged,
                          actual: .map(["path": .string("/tmp/old"), "mode": .string("0644")]),
                          firstSeen: at(hours: -4), lastSeen: at(hours: -3), resolvedAt: at(hours: -2),
                          resolution: .accepted, history: history + [FindingEvent(runID: 3, at: at(hours: -2), status: "resolved")]),
            ReportFinding(id: 4, address: "local_file.stray", type: "local_file", kind: .unmanaged,
                          actual: .map(["path": .string("/tmp/stray")]),
                          firstSeen: at(hours: -3), lastSeen: at(hours: -1)),
            ReportFinding(id: 6, address: "local_file.token", type: "local_file", kind: .changed, path: "mode",
                          expected: .string("0600"), actual: .string("0644"),
                          firstSeen: at(hours: -4), lastSeen: at(hours: -3), resolvedAt: at(hours: -2),
                          resolution: .reverted, location: token, history: history),
        ]
        let runs: [DriftRunPoint] = (1...5).map { (run: Int) -> DriftRunPoint in
            let changed = run < 3 ? 3 : 2
            let missing = run >= 3 ? 1 : 0
            let unmanaged = run < 3 ? 2 : 1
            return DriftRunPoint(runID: Int64(run), at: at(hours: Double(run - 5)), changed: changed,
                                 missing: missing, unmanaged: unmanaged, outcome: "ok")
        }
        return DriftReport(
            generatedAt: base, stack: "prod", since: at(hours: -24),
            summary: DriftSummary(totalResources: 4, totalManaged: 3, totalChanged: 1, totalMissing: 1,
                                  totalUnmanaged: 1, coverage: 75),
            resources: [
                ReportResource(address: "local_dir.cache", type: "local_dir", location: dirs, isDrifted: true),
                ReportResource(address: "local_file.config", type: "local_file", location: files, isDrifted: true),
                ReportResource(address: "local_file.token", type: "local_file", location: token, isDrifted: false),
            ],
            findings: findings, runs: runs)
    }

    /// A report with `count` open changed findings on distinct resources, and `runs` drift runs.
    static func make(openFindings count: Int, runs runCount: Int = 3) -> DriftReport {
        var report = make()
        report.findings = (0..<count).map { index in
            ReportFinding(id: Int64(index), address: "local_file.f\(index)", type: "local_file", kind: .changed,
                          path: "mode", expected: .string("0600"), actual: .string("0644"),
                          firstSeen: base, lastSeen: base)
        }
        report.runs = (0..<runCount).map { index in
            DriftRunPoint(runID: Int64(index), at: base.addingTimeInterval(Double(index) * 60),
                          changed: index % 7, missing: index % 3, unmanaged: index % 5, outcome: "ok")
        }
        return report
    }
}
