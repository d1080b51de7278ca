// tend-report-bench: renders a synthetic drift report of N findings (first argument, default
// 100000) in every format and prints, per format, the seconds taken, the output size and the peak
// resident set size so far. With `--write DIR` it also writes each output to DIR/report.<format>.

import Foundation
import TendModel
import TendReport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Peak resident set size of this process, in MiB.
func peakRSSMiB() -> Double {
    var usage = rusage()
    #if canImport(Darwin)
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1_048_576  // bytes on Darwin
    #else
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // KiB on Linux
    #endif
}

func makeReport(findings count: Int) -> DriftReport {
    let base = Date(timeIntervalSince1970: 1_714_564_800)
    let kinds = ReportFinding.Kind.allCases
    let findings: [ReportFinding] = (0..<count).map { index in
        let kind = kinds[index % kinds.count]
        let isResolved = index % 4 == 0
        let at = base.addingTimeInterval(Double(index % 1000) * 60)
        return ReportFinding(
            id: Int64(index + 1),
            address: String(format: "local_file.file_%07d", index),
            type: "local_file",
            kind: kind,
            path: kind == .changed ? "tags.owner" : nil,
            expected: kind == .unmanaged ? nil : .string("team-\(index % 97)"),
            actual: kind == .missing ? nil : .map(["owner": .string("someone, \"else\""), "n": .number(Number(index))]),
            firstSeen: at,
            lastSeen: at.addingTimeInterval(3600),
            resolvedAt: isResolved ? at.addingTimeInterval(7200) : nil,
            resolution: isResolved ? .remediated : nil,
            location: kind == .unmanaged ? nil : SourceLocation(file: "infra/files_\(index % 50).yaml", line: index % 400 + 1, column: 3),
            history: [
                FindingEvent(runID: 1, at: at, status: "open"),
                FindingEvent(runID: 2, at: at.addingTimeInterval(3600), status: isResolved ? "resolved" : "open"),
            ])
    }
    let resources = findings.filter { $0.kind != .unmanaged }.map {
        ReportResource(address: $0.address, type: $0.type, location: $0.location, isDrifted: $0.isOpen)
    }
    let runs = (0..<10_000).map { index in
        DriftRunPoint(runID: Int64(index), at: base.addingTimeInterval(Double(index) * 300),
                      changed: index % 13, missing: index % 5, unmanaged: index % 7, outcome: "ok")
    }
    let managed = resources.count
    let unmanaged = count - managed
    return DriftReport(
        generatedAt: base, stack: "bench",
        summary: DriftSummary(totalResources: count, totalManaged: managed, totalChanged: count / 3,
                              totalMissing: count / 3, totalUnmanaged: unmanaged,
                              coverage: count == 0 ? 100 : Double(managed) / Double(count) * 100),
        resources: resources, findings: findings, runs: runs)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var outputDirectory: URL?
if let flag = arguments.firstIndex(of: "--write"), flag + 1 < arguments.count {
    outputDirectory = URL(fileURLWithPath: arguments[flag + 1])
    arguments.removeSubrange(flag...(flag + 1))
}
let count = arguments.first.flatMap(Int.init) ?? 100_000
let report = makeReport(findings: count)
print("findings: \(count), runs: \(report.runs.count), peak RSS after building the report: "
    + String(format: "%.1f MiB", peakRSSMiB()))
print("format    seconds   output MiB   peak RSS MiB")
for format in ReportFormat.allCases {
    let start = Date()
    let text = ReportRenderer.render(report, as: format)
    let seconds = Date().timeIntervalSince(start)
    let size = Double(text.utf8.count) / 1_048_576
    let name = format.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
    print(name + String(format: "  %7.3f   %10.1f   %12.1f", seconds, size, peakRSSMiB()))
    if let outputDirectory {
        try? text.write(to: outputDirectory.appendingPathComponent("report.\(format.rawValue)"), atomically: true, encoding: .utf8)
    }
}
