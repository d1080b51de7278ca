import TendModel

/// The text a writer builds: one growing native string, so a big report is built in linear time
/// and handed back without a final copy.
struct OutputBuffer {
    private(set) var text: String = ""

    init(reservingCapacity capacity: Int = 4096) {
        text.reserveCapacity(capacity)
    }

    mutating func append(_ piece: String) {
        text.append(piece)
    }

    mutating func append(_ number: Int) {
        text.append(String(number))
    }

    mutating func append(_ number: Int64) {
        text.append(String(number))
    }

    /// Appends a JSON string literal.
    mutating func appendJSONString(_ piece: String) {
        text.append(Value.quote(piece))
    }

    /// Appends a value as canonical JSON (sorted keys, no whitespace); numbers are exact, and always valid JSON.
    mutating func appendJSON(_ value: Value) {
        switch value {
        case .null, .unknown: text.append("null")
        case let .bool(flag): text.append(flag ? "true" : "false")
        case let .number(number): text.append(number.description)
        case let .string(piece): appendJSONString(piece)
        case .list, .set:
            text.append("[")
            for (index, item) in (value.elements ?? []).enumerated() {
                if index > 0 { text.append(",") }
                appendJSON(item)
            }
            text.append("]")
        case let .map(entries):
            text.append("{")
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { text.append(",") }
                appendJSONString(key)
                text.append(":")
                appendJSON(entries[key] ?? .null)
            }
            text.append("}")
        }
    }

    /// Appends text escaped for XML and HTML content or a quoted attribute. Control characters XML
    /// cannot carry become U+FFFD; in attributes, tabs and line breaks become character references so
    /// they survive attribute-value normalization.
    mutating func appendEscapedXML(_ piece: String, inAttribute: Bool = false) {
        let utf8 = piece.utf8
        let needsWork = utf8.contains { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }
        if !needsWork {
            text.append(piece)
            return
        }
        var scratch: [UInt8] = []
        scratch.reserveCapacity(utf8.count + 32)
        for byte in utf8 {
            switch byte {
            case 0x26: scratch += Array("&amp;".utf8)
            case 0x3C: scratch += Array("&lt;".utf8)
            case 0x3E: scratch += Array("&gt;".utf8)
            case 0x22: scratch += Array("&quot;".utf8)
            case 0x27: scratch += Array("&#39;".utf8)
            case 0x09, 0x0A, 0x0D:
                if inAttribute { scratch += Array("&#\(byte);".utf8) } else { scratch.append(byte) }
            case ..<0x20: scratch += Array("\u{FFFD}".utf8)
            default: scratch.append(byte)
            }
        }
        text.append(String(decoding: scratch, as: UTF8.self))
    }
}
