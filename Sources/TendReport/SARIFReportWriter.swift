import TendModel

/// Writes SARIF 2.1.0: one run by the tool "tend" with a rule per finding kind, and one result per
/// open finding, located at the manifest line that declares the resource when that is known.
struct SARIFReportWriter {
    static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    /// The `partialFingerprints` key; the hash under it is stable per address, kind and path.
    static let fingerprintKey = "tendDriftFinding/v1"
    /// The longest value shown in a result message before it is cut with "…".
    static let valueLimit = 200

    struct Rule {
        let kind: ReportFinding.Kind
        let id: String
        let name: String
        let level: String
        let short: String
        let full: String
    }

    static let rules: [Rule] = [
        Rule(kind: .changed, id: "drift-changed", name: "DriftChanged", level: "warning",
             short: "A managed resource changed outside tend.",
             full: "An attribute of a managed resource differs from the last applied state."),
        Rule(kind: .missing, id: "drift-missing", name: "DriftMissing", level: "error",
             short: "A managed resource was deleted outside tend.",
             full: "A resource in state no longer exists at the provider."),
        Rule(kind: .unmanaged, id: "drift-unmanaged", name: "DriftUnmanaged", level: "note",
             short: "A resource exists that tend does not manage.",
             full: "A resource exists at the provider but is not in tend's state or manifests."),
    ]

    let report: DriftReport

    func render() -> String {
        let capacity = CapacityEstimate.bytes(for: report.findings, fixed: 4096) { finding in
            guard finding.isOpen else { return 0 }
            var sample = JSONEmitter(reservingCapacity: 1024)
            writeResult(finding, to: &sample)
            return sample.text.utf8.count + 12
        }
        var json = JSONEmitter(reservingCapacity: capacity)
        json.beginObject()
        json.field("$schema", string: Self.schemaURI)
        json.key("runs")
        json.beginArray()
        json.element()
        json.beginObject()
        json.key("automationDetails")
        json.beginObject()
        json.field("id", string: "tend-drift/\(report.stack)/")
        json.endObject()
        json.field("columnKind", string: "unicodeCodePoints")
        json.key("results")
        json.beginArray()
        for finding in report.findings where finding.isOpen {
            json.element()
            writeResult(finding, to: &json)
        }
        json.endArray()
        json.key("tool")
        writeTool(to: &json)
        json.endObject()
        json.endArray()
        json.field("version", string: "2.1.0")
        json.endObject()
        json.finish()
        return json.text
    }

    private func writeTool(to json: inout JSONEmitter) {
        json.beginObject()
        json.key("driver")
        json.beginObject()
        json.field("name", string: "tend")
        json.key("rules")
        json.beginArray()
        for rule in Self.rules {
            json.element()
            json.beginObject()
            json.key("defaultConfiguration")
            json.beginObject(compact: true)
            json.field("level", string: rule.level)
            json.endObject()
            json.key("fullDescription")
            text(rule.full, to: &json)
            json.field("id", string: rule.id)
            json.field("name", string: rule.name)
            json.key("shortDescription")
            text(rule.short, to: &json)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.endObject()
    }

    private func writeResult(_ finding: ReportFinding, to json: inout JSONEmitter) {
        let ruleIndex = Self.rules.firstIndex { $0.kind == finding.kind } ?? 0
        let rule = Self.rules[ruleIndex]
        json.beginObject(compact: true)
        json.field("level", string: rule.level)
        if let location = finding.location {
            json.key("locations")
            json.beginArray()
            json.element()
            json.beginObject()
            json.key("logicalLocations")
            json.beginArray()
            json.element()
            json.beginObject()
            json.field("fullyQualifiedName", string: finding.address)
            json.field("kind", string: "resource")
            json.endObject()
            json.endArray()
            json.key("physicalLocation")
            writePhysical(location, to: &json)
            json.endObject()
            json.endArray()
        }
        json.key("message")
        text(Self.message(finding), to: &json)
        json.key("partialFingerprints")
        json.beginObject()
        json.field(Self.fingerprintKey, string: Self.fingerprint(finding))
        json.endObject()
        json.key("properties")
        json.beginObject()
        json.field("address", string: finding.address)
        if !finding.context.isEmpty { json.field("context", value: .list(finding.context.map(\.value))) }
        if let diff = finding.diff { json.field("diff", string: diff.map(\.rendered).joined(separator: "\n")) }
        json.field("findingId", integer: finding.id)
        json.field("firstSeen", date: finding.firstSeen)
        json.field("lastSeen", date: finding.lastSeen)
        json.field("resourceType", string: finding.type)
        json.endObject()
        json.field("ruleId", string: rule.id)
        json.field("ruleIndex", integer: ruleIndex)
        json.endObject()
    }

    private func writePhysical(_ location: SourceLocation, to json: inout JSONEmitter) {
        json.beginObject()
        json.key("artifactLocation")
        json.beginObject()
        json.field("uri", string: Self.uriReference(location.file))
        json.endObject()
        if location.line >= 1 {
            json.key("region")
            json.beginObject()
            if location.column >= 1 { json.field("startColumn", integer: location.column) }
            json.field("startLine", integer: location.line)
            json.endObject()
        }
        json.endObject()
    }

    private func text(_ text: String, to json: inout JSONEmitter) {
        json.beginObject()
        json.field("text", string: text)
        json.endObject()
    }

    /// The result message: the address, and for changes the path and both values.
    static func message(_ finding: ReportFinding) -> String {
        switch finding.kind {
        case .changed:
            return "\(finding.address): \(finding.path ?? "(unknown attribute)") changed outside tend: \(finding.changeSummary(limit: valueLimit))."
        case .missing:
            return "\(finding.address) (\(finding.type)) was deleted outside tend."
        case .unmanaged:
            return "\(finding.address) (\(finding.type)) exists at the provider but tend does not manage it."
        }
    }

    /// A 64-bit FNV-1a hash of address, kind and path, in hex: the same finding keeps it across runs.
    static func fingerprint(_ finding: ReportFinding) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let key = finding.address + "\u{0}" + finding.kind.rawValue + "\u{0}" + (finding.path ?? "")
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// A relative path as a URI reference: bytes other than unreserved characters and `/` are
    /// percent-encoded; backslashes become slashes.
    static func uriReference(_ path: String) -> String {
        var out = ""
        let hex = Array("0123456789ABCDEF")
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: "\\"):
                out.append("/")
            default:
                out.append("%")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
