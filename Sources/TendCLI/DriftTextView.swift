import TendEngine
import TendModel
import TendState

/// The human drift report: findings (new ones marked), what resolved since the last run, a summary line.
struct DriftTextView {
    let palette: Palette

    func render(_ outcome: DriftRunner.Outcome) -> String {
        let scan = outcome.scan
        let isNew = Set(outcome.recording.opened.map(\.key))
        var out = ""
        if scan.findings.isEmpty {
            out += palette.green("No drift.") + " Everything tend manages matches its last applied state.\n"
        } else {
            out += palette.bold("Drift found (run #\(outcome.runID)):") + "\n\n"
            for change in scan.drift {
                out += render(change, isNew: isNew)
            }
            for object in scan.unmanaged {
                let marker = isNew.contains(ObservedFinding(address: object.address, type: object.type, kind: .unmanaged).key) ? " [new]" : ""
                out += "  " + palette.cyan("?") + " \(object.type) \(object.id) exists but is not managed by tend\(marker)\n"
            }
        }
        if !outcome.recording.resolved.isEmpty {
            out += "\n" + palette.bold("Resolved since the last run (reverted outside tend):") + "\n"
            for finding in outcome.recording.resolved {
                out += "  " + palette.green("✓") + " \(finding.address)\(finding.path.isEmpty ? "" : " \(finding.path)") (\(finding.kind.rawValue))\n"
            }
        }
        if let remediation = outcome.remediation {
            let fixed = remediation.succeeded.keys.sorted().map(\.description).joined(separator: ", ")
            out += "\n" + palette.bold("Remediated:") + " \(fixed.isEmpty ? "nothing" : fixed)\n"
            for (address, reason) in remediation.failed.sorted(by: { $0.key < $1.key }) {
                out += "  " + palette.red("!") + " \(address): \(reason)\n"
            }
        }
        if scan.request.isPartial {
            out += "\n" + palette.yellow("Warning:") + " a partial check (\(scan.request.scopeFlags)): only the resources it covers "
                + "were read, and unmanaged objects were not looked for.\n"
        }
        out += "\n" + String(format: "Summary: %d managed, %d changed, %d missing, %d unmanaged; coverage %.1f%%.\n",
                             scan.managedCount, scan.changedCount, scan.missingCount, scan.unmanaged.count, scan.coverage)
        if !scan.unlistedTypes.isEmpty {
            let types = scan.unlistedTypes.sorted()
            out += "Unmanaged objects not looked for: \(types.joined(separator: ", ")) (\(types.count == 1 ? "its provider cannot" : "their providers cannot") "
                + "list objects).\n"
        }
        if !scan.defaults.isEmpty {
            out += "Not counted: \(scan.defaults.count) object\(scan.defaults.count == 1 ? "" : "s") the cloud made by itself "
                + "(default VPC, subnets and security groups); --include-defaults reports them.\n"
        }
        return out
    }

    private func render(_ change: DriftChange, isNew: Set<String>) -> String {
        let address = change.address.description
        switch change.kind {
        case .missing:
            let marker = isNew.contains(ObservedFinding(address: address, type: change.type, kind: .missing).key) ? " [new]" : ""
            return "  " + palette.red("-") + " \(address) (\(change.type)) was deleted outside tend\(marker)\n"
        case .changed, .unmanaged:
            var out = "  " + palette.yellow("~") + " \(address) (\(change.type)) was changed outside tend\n"
            let marks = change.sensitiveMarks
            let text = ChangeText(palette: palette)
            for item in change.attributes {
                let key = ObservedFinding(address: address, type: change.type, kind: .changed, path: item.path.description).key
                out += text.render(item, marks: marks, indent: "      ", suffix: isNew.contains(key) ? " [new]" : "")
            }
            return out
        }
    }
}

/// The drift result as JSON: summary (driftctl's names), findings with their status, what resolved.
struct DriftJSONView {
    func render(_ outcome: DriftRunner.Outcome) -> String {
        let scan = outcome.scan
        let recorded = outcome.recording.opened + outcome.recording.stillOpen
        let document: Value = .map([
            "run_id": .number(Number(outcome.runID)),
            "summary": .map([
                "total_resources": .number(Number(scan.managedCount + scan.unmanaged.count)),
                "total_managed": .number(Number(scan.managedCount)),
                "total_changed": .number(Number(scan.changedCount)),
                "total_missing": .number(Number(scan.missingCount)),
                "total_unmanaged": .number(Number(scan.unmanaged.count)),
                "total_defaults": .number(Number(scan.defaults.count)),
                "unlisted_types": .list(scan.unlistedTypes.sorted().map(Value.string)),
                "coverage": .number(Number((scan.coverage * 10).rounded() / 10) ?? 0),
            ]),
            "findings": .list(recorded.sorted { ($0.address, $0.path) < ($1.address, $1.path) }.map(Self.value)),
            "resolved": .list(outcome.recording.resolved.map(Self.value)),
            "remediated": .list((outcome.remediation?.succeeded.keys.sorted() ?? []).map { .string($0.description) }),
        ])
        if scan.request.isPartial, case var .map(entries) = document {
            entries["partial"] = PlanJSONView.scope(scan.request)
            return Value.map(entries).canonicalJSON + "\n"
        }
        return document.canonicalJSON + "\n"
    }

    static func value(_ finding: DriftFinding) -> Value {
        var entry: [String: Value] = [
            "id": .number(Number(finding.id)),
            "address": .string(finding.address),
            "type": .string(finding.type),
            "kind": .string(finding.kind.rawValue),
            "first_seen": .string(HistoryCommand.timestamp(finding.firstSeen)),
            "last_seen": .string(HistoryCommand.timestamp(finding.lastSeen)),
            "status": .string(finding.isOpen ? "open" : "resolved"),
        ]
        if !finding.path.isEmpty { entry["path"] = .string(finding.path) }
        if let expected = finding.expected { entry["expected"] = expected }
        if let actual = finding.actual { entry["actual"] = actual }
        if !finding.context.isEmpty { entry["context"] = .list(finding.context.map(\.value)) }
        if let resolvedAt = finding.resolvedAt { entry["resolved_at"] = .string(HistoryCommand.timestamp(resolvedAt)) }
        if let resolution = finding.resolution { entry["resolution"] = .string(resolution.rawValue) }
        return .map(entry)
    }
}
