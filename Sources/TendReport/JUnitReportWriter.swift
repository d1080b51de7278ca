import TendModel

/// Writes JUnit XML: one test case per managed resource (class name = type, name = address), failing
/// when it has open findings, plus one failing case per open unmanaged finding (class "unmanaged").
struct JUnitReportWriter {
    let report: DriftReport

    func render() -> String {
        let findings = report.findings
        // Open findings on managed resources, grouped by address without copying them.
        let openManaged = findings.indices
            .filter { findings[$0].isOpen && findings[$0].kind != .unmanaged }
            .sorted { (findings[$0].address, $0) < (findings[$1].address, $1) }
        var firstOpen: [String: Int] = [:]
        firstOpen.reserveCapacity(openManaged.count)
        for (position, index) in openManaged.enumerated().reversed() {
            firstOpen[findings[index].address] = position
        }
        func openFindings(at address: String) -> [ReportFinding] {
            guard var position = firstOpen[address] else { return [] }
            var result: [ReportFinding] = []
            while position < openManaged.count, findings[openManaged[position]].address == address {
                result.append(findings[openManaged[position]])
                position += 1
            }
            return result
        }
        let unmanaged = findings.indices.filter { findings[$0].isOpen && findings[$0].kind == .unmanaged }
        let failingResources = report.resources.lazy.filter { firstOpen[$0.address] != nil || $0.isDrifted }.count
        let tests = report.resources.count + unmanaged.count
        let failures = failingResources + unmanaged.count

        let capacity = CapacityEstimate.bytes(for: report.resources, fixed: 1024 + unmanaged.count * 300) { resource in
            var sample = OutputBuffer(reservingCapacity: 1024)
            let open = openFindings(at: resource.address)
            writeCase(className: resource.type, name: resource.address, open: open,
                      isFailing: !open.isEmpty || resource.isDrifted, to: &sample)
            return sample.text.utf8.count
        }
        var out = OutputBuffer(reservingCapacity: capacity)
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        out.append("<testsuites name=\"tend\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" time=\"0\">\n")
        out.append("  <testsuite name=\"tend drift\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\"")
        out.append(" skipped=\"0\" time=\"0\" timestamp=\"\(ReportDate.iso8601(report.generatedAt))\">\n")
        out.append("    <properties>\n      <property name=\"stack\" value=\"")
        out.appendEscapedXML(report.stack, inAttribute: true)
        out.append("\"/>\n    </properties>\n")
        for resource in report.resources {
            let open = openFindings(at: resource.address)
            writeCase(className: resource.type, name: resource.address, open: open,
                      isFailing: !open.isEmpty || resource.isDrifted, to: &out)
        }
        for index in unmanaged {
            let finding = findings[index]
            writeCase(className: "unmanaged", name: finding.address, open: [finding], isFailing: true, to: &out)
        }
        out.append("  </testsuite>\n</testsuites>\n")
        return out.text
    }

    private func writeCase(className: String, name: String, open: [ReportFinding], isFailing: Bool,
                           to out: inout OutputBuffer) {
        out.append("    <testcase classname=\"")
        out.appendEscapedXML(className, inAttribute: true)
        out.append("\" name=\"")
        out.appendEscapedXML(name, inAttribute: true)
        guard isFailing else { return out.append("\" time=\"0\"/>\n") }
        out.append("\" time=\"0\">\n      <failure type=\"drift\" message=\"")
        out.appendEscapedXML(Self.message(open, address: name), inAttribute: true)
        out.append("\">")
        for (index, finding) in open.enumerated() {
            if index > 0 { out.append("\n") }
            out.appendEscapedXML(Self.describe(finding))
        }
        out.append("</failure>\n    </testcase>\n")
    }

    private static func message(_ open: [ReportFinding], address: String) -> String {
        if open.count == 1, let finding = open.first {
            return describe(finding)
        }
        if open.isEmpty { return "\(address) has drifted" }
        return "\(open.count) open drift findings on \(address)"
    }

    /// One line per finding: what drifted and how.
    static func describe(_ finding: ReportFinding) -> String {
        switch finding.kind {
        case .changed:
            return "changed \(finding.address) \(finding.path ?? ""): \(finding.changeSummary(limit: 200))"
        case .missing:
            return "missing \(finding.address): deleted outside tend"
        case .unmanaged:
            return "unmanaged \(finding.type) \(finding.address): exists at the provider but not in state"
        }
    }
}
