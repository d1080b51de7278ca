import Foundation

extension Value: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {   // each try? probes one JSON kind; the last branch refuses
            self = .bool(b)
        } else if let n = try? container.decode(Number.self) {
            self = .number(n)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let l = try? container.decode([Value].self) {
            self = .list(l)
        } else if let m = try? container.decode([String: Value].self) {
            self = .map(m)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null, .unknown: try container.encodeNil()
        case let .bool(b): try container.encode(b)
        case let .number(n): try container.encode(n)
        case let .string(s): try container.encode(s)
        case let .list(l): try container.encode(l)
        case let .map(m): try container.encode(m)
        }
    }
}

extension Value {
    /// Canonical JSON text: sorted keys, no whitespace. Same value, same bytes.
    public var canonicalJSON: String {
        switch self {
        case .null, .unknown: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(n): return n.description
        case let .string(s): return Value.quote(s)
        case let .list(l): return "[" + l.map(\.canonicalJSON).joined(separator: ",") + "]"
        case let .map(m):
            return "{" + m.keys.sorted().map { Value.quote($0) + ":" + (m[$0] ?? .null).canonicalJSON }
                .joined(separator: ",") + "}"
        }
    }

    /// JSON string quoting, working on UTF-8 bytes: most strings need no escapes at all.
    public static func quote(_ s: String) -> String {
        let needsEscape = s.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
        if !needsEscape { return "\"" + s + "\"" }
        var text = s
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8 + 2)
            out.append(0x22)
            // Runs between characters that need escaping are copied whole.
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                out.append(0x5C)
                switch byte {
                case 0x22, 0x5C: out.append(byte)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                default:
                    let hex = "0123456789abcdef".utf8
                    out.append(UInt8(ascii: "u"))
                    out.append(0x30)
                    out.append(0x30)
                    out.append(hex[hex.index(hex.startIndex, offsetBy: Int(byte >> 4))])
                    out.append(hex[hex.index(hex.startIndex, offsetBy: Int(byte & 0x0F))])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            out.append(0x22)
            return String(decoding: out, as: UTF8.self)
        }
    }
}
