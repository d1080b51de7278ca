import Foundation
import TendModel
import TendReport
import TendState

/// Builds a drift report from what state recorded: findings with their sightings, drift runs, managed resources.
public struct DriftReportBuilder: Sendable {
    public let state: StackState

    public init(state: StackState) {
        self.state = state
    }

    /// The report of findings seen at or after `since` (all history when nil). `specs` give manifest locations.
    public func build(stack: String, since: Date?, now: Date, specs: [ResourceSpec]) async throws -> DriftReport {
        let records = try await state.resourceSummaries().filter { $0.status == .created }
        let findings = try await state.driftFindings(address: nil, since: since)
        var sightings: [Int64: [FindingEvent]] = [:]
        for sighting in try await state.driftSightings(since: since) {
            sightings[sighting.findingID, default: []].append(FindingEvent(runID: sighting.runID, at: sighting.at, status: "open"))
        }
        let locations = Dictionary(specs.map { ($0.address.description, $0.location) }, uniquingKeysWith: { a, _ in a })
        let reportFindings = findings.map { finding in
            var history = sightings[finding.id] ?? []
            if let resolvedAt = finding.resolvedAt {
                // run_id 0: resolved by apply, remediation or accept rather than seen gone by a drift run.
                history.append(FindingEvent(runID: finding.resolvedRunID ?? 0, at: resolvedAt, status: "resolved"))
            }
            return ReportFinding(id: finding.id, address: finding.address, type: finding.type,
                                 kind: ReportFinding.Kind(rawValue: finding.kind.rawValue) ?? .changed,
                                 path: finding.path.isEmpty ? nil : finding.path, expected: finding.expected,
                                 actual: finding.actual, firstSeen: finding.firstSeen, lastSeen: finding.lastSeen,
                                 resolvedAt: finding.resolvedAt,
                                 resolution: finding.resolution.flatMap { ReportFinding.Resolution(rawValue: $0.rawValue) },
                                 location: locations[finding.address] ?? nil, history: history, context: finding.context)
        }.sorted { ($0.address, $0.path ?? "", $0.id) < ($1.address, $1.path ?? "", $1.id) }

        let open = findings.filter(\.isOpen)
        let drifted = Set(open.filter { $0.kind != .unmanaged }.map(\.address))
        let changed = Set(open.filter { $0.kind == .changed }.map(\.address)).count
        let missing = Set(open.filter { $0.kind == .missing }.map(\.address)).count
        let unmanaged = Set(open.filter { $0.kind == .unmanaged }.map(\.address)).count
        let managed = records.count
        let coverage = managed + unmanaged == 0 ? 100 : Double(managed) / Double(managed + unmanaged) * 100
        let resources = records.map { record in
            ReportResource(address: record.address.description, type: record.type,
                           location: locations[record.address.description] ?? nil,
                           isDrifted: drifted.contains(record.address.description))
        }
        let runs = try await state.runs(limit: 0).filter { run in
            run.kind == "drift" && run.outcome != "failed" && (since.map { run.startedAt >= $0 } ?? true)
        }
        // The defaults the latest drift run in the window counted (runs are newest first).
        let defaults = runs.first?.counts["defaults"] ?? 0
        let points = runs.reversed().map { run in
            DriftRunPoint(runID: run.id, at: run.startedAt, changed: run.counts["changed"] ?? 0, missing: run.counts["missing"] ?? 0,
                          unmanaged: run.counts["unmanaged"] ?? 0, outcome: run.outcome ?? "unfinished")
        }
        return DriftReport(generatedAt: now, stack: stack, since: since,
                           summary: DriftSummary(totalResources: managed + unmanaged, totalManaged: managed,
                                                 totalChanged: changed, totalMissing: missing, totalUnmanaged: unmanaged,
                                                 coverage: (coverage * 10).rounded() / 10, totalDefaults: defaults),
                           resources: resources, findings: reportFindings, runs: Array(points))
    }
}
