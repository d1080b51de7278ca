#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small, fast JSON parser straight into `Value`: state holds thousands of attribute maps,
/// and Foundation's Codable path is several times slower on them.
public struct JSONValueParser {
    /// Why the text is not JSON, and at which byte.
    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var offset: Int
        public var description: String { "\(message) at byte \(offset)" }
    }

    /// Parses one JSON document.
    public static func parse(_ text: String) throws -> Value {
        var text = text
        return try text.withUTF8 { try parse($0) }
    }

    /// Parses one JSON document from UTF-8 bytes. Where the document is an object, a member that `sharing` has a
    /// string for, whose string value has exactly that string's UTF-8, is returned as that very string, so the two
    /// share one buffer and no copy is allocated (state holding the same large texts as the configuration).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, sharing: SharedStrings.Object? = nil) throws -> Value {
        var parser = Parser(bytes: bytes)
        parser.sharing = sharing
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("trailing characters") }
        return value
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Strings to hand out for equal values of the top-level object's members, by key.
        var sharing: SharedStrings.Object?
        /// Unescaped bytes of the string being read.
        var scratch: [UInt8] = []
        static let maximumDepth = 512

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: index) }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        mutating func parseValue(depth: Int) throws -> Value {
            guard depth < Parser.maximumDepth else { throw error("nested too deeply") }
            guard index < bytes.count else { throw error("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try parseObject(depth: depth)
            case UInt8(ascii: "["): return try parseArray(depth: depth)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            default: return .number(try parseNumber())
            }
        }

        mutating func expect(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw error("unexpected end") }
            let matches = word.withUTF8Buffer { w in (0..<count).allSatisfy { bytes[index + $0] == w[$0] } }
            guard matches else { throw error("invalid literal") }
            index += count
        }

        mutating func parseObject(depth: Int) throws -> Value {
            index += 1
            var out: [String: Value] = [:]
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .map(out) }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                let key = try parseString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected \":\"") }
                index += 1
                skipWhitespace()
                if depth == 0, index < bytes.count, bytes[index] == UInt8(ascii: "\""), let shared = sharing?.string(for: key),
                   matches(shared) {
                    out[key] = .string(shared)
                } else {
                    out[key] = try parseValue(depth: depth + 1)
                }
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .map(out) }
                throw error("expected \",\" or \"}\"")
            }
        }

        mutating func parseArray(depth: Int) throws -> Value {
            index += 1
            var out: [Value] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .list(out) }
            while true {
                skipWhitespace()
                out.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .list(out) }
                throw error("expected \",\" or \"]\"")
            }
        }

        mutating func parseString() throws -> String {
            index += 1
            let start = index
            guard let base = bytes.baseAddress else { throw error("unterminated string") }
            var special = Parser.firstSpecial(base, from: index, to: bytes.count)
            // Fast path: no escapes.
            if special < bytes.count, base[special] == UInt8(ascii: "\"") {
                index = special + 1
                return String(decoding: UnsafeBufferPointer(start: base + start, count: special - start), as: UTF8.self)
            }
            // Runs between escapes are copied whole into a buffer reused for every string of the document.
            scratch.removeAll(keepingCapacity: true)
            while true {
                scratch.append(contentsOf: UnsafeBufferPointer(start: base + index, count: special - index))
                index = special
                guard index < bytes.count else { throw error("unterminated string") }
                let byte = base[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(decoding: scratch, as: UTF8.self)
                }
                if byte < 0x20 { throw error("control character in string") }
                index += 1
                guard index < bytes.count else { throw error("unexpected end") }
                let escape = base[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scratch.append(0x22)
                case UInt8(ascii: "\\"): scratch.append(0x5C)
                case UInt8(ascii: "/"): scratch.append(0x2F)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, base[index] == UInt8(ascii: "\\"),
                       base[index + 1] == UInt8(ascii: "u") {
                        let next = index
                        index += 2
                        let low = try parseHex4()
                        if (0xDC00..<0xE000).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            // Not a pair: the lone high surrogate is U+FFFD and the next escape is read on its own.
                            index = next
                        }
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    scratch.append(contentsOf: String(scalar).utf8)
                default:
                    throw error("invalid escape")
                }
                special = Parser.firstSpecial(base, from: index, to: bytes.count)
            }
        }

        /// Whether the string whose opening quote is at `index` unescapes to exactly `expected`'s UTF-8, compared run by
        /// run without allocating; if so, `index` moves past its closing quote. Anything unusual (a \\u escape, a
        /// control character, the end) answers false and leaves `index` alone, for the full parse to read or reject.
        mutating func matches(_ expected: String) -> Bool {
            guard let base = bytes.baseAddress else { return false }
            var expected = expected
            let end = expected.withUTF8 { want -> Int? in
                var at = index + 1
                var matched = 0
                let count = bytes.count
                while true {
                    // Eight bytes at a time while both sides agree and the JSON word holds nothing to unescape; in a
                    // word that does, the bytes before its first special one are compared whole too, and that byte is
                    // read below (text with many escaped newlines then costs a step per escape, not per byte).
                    if let wanted = want.baseAddress {
                        while at + 8 <= count, matched + 8 <= want.count {
                            let word = UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self)
                            let other = UnsafeRawPointer(wanted + matched).loadUnaligned(as: UInt64.self)
                            let special = Parser.specialBytes(word)
                            if special == 0 {
                                guard word == other else { break }
                                at += 8
                                matched += 8
                                continue
                            }
                            let plain = special.trailingZeroBitCount / 8
                            if plain > 0, (word ^ other) & ((1 << (UInt64(plain) * 8)) - 1) == 0 {
                                at += plain
                                matched += plain
                            }
                            break
                        }
                    }
                    guard at < count else { return nil }
                    let byte = base[at]
                    if byte == UInt8(ascii: "\"") { return matched == want.count ? at + 1 : nil }
                    guard matched < want.count, byte >= 0x20 else { return nil }
                    if byte != UInt8(ascii: "\\") {
                        guard want[matched] == byte else { return nil }
                        at += 1
                        matched += 1
                        continue
                    }
                    guard at + 1 < count else { return nil }
                    if base[at + 1] == UInt8(ascii: "u") {
                        // \uXXXX outside the surrogates: compare the scalar's UTF-8.
                        guard let code = Parser.hex4(base, at: at + 2, end: count), !(0xD800..<0xE000).contains(code),
                              let scalar = Unicode.Scalar(code) else { return nil }
                        for byte in String(scalar).utf8 {
                            guard matched < want.count, want[matched] == byte else { return nil }
                            matched += 1
                        }
                        at += 6
                        continue
                    }
                    let unescaped: UInt8
                    switch base[at + 1] {
                    case UInt8(ascii: "\""): unescaped = 0x22
                    case UInt8(ascii: "\\"): unescaped = 0x5C
                    case UInt8(ascii: "/"): unescaped = 0x2F
                    case UInt8(ascii: "b"): unescaped = 0x08
                    case UInt8(ascii: "f"): unescaped = 0x0C
                    case UInt8(ascii: "n"): unescaped = 0x0A
                    case UInt8(ascii: "r"): unescaped = 0x0D
                    case UInt8(ascii: "t"): unescaped = 0x09
                    default: return nil
                    }
                    guard want[matched] == unescaped else { return nil }
                    matched += 1
                    at += 2
                }
            }
            guard let end else { return false }
            index = end
            return true
        }

        /// Four hexadecimal digits at `at`, or nil.
        static func hex4(_ base: UnsafePointer<UInt8>, at: Int, end: Int) -> UInt32? {
            guard at + 4 <= end else { return nil }
            var code: UInt32 = 0
            for offset in 0..<4 {
                let byte = base[at + offset]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                code = code << 4 | UInt32(digit)
            }
            return code
        }

        /// Whether any byte of a word is a quote, a backslash or a control character (exact: no false answers).
        @inline(__always)
        static func hasSpecial(_ word: UInt64) -> Bool {
            specialBytes(word) != 0
        }

        /// The high bit of each byte of `word` (little-endian) that may be a quote, a backslash or a control
        /// character; the lowest one set is exactly the first such byte (a borrow runs only upwards from it).
        @inline(__always)
        static func specialBytes(_ word: UInt64) -> UInt64 {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let quote = word ^ (0x22 &* ones)
            let backslash = word ^ (0x5C &* ones)
            let found = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- 0x20 &* ones) & ~word)
            return found & 0x8080_8080_8080_8080
        }

        /// The index of the first quote, backslash or control character at or after `start`, or `end`.
        /// Eight bytes at a time: a word without any of them is skipped whole.
        @inline(__always)
        static func firstSpecial(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
            var i = start
            while i + 8 <= end, !hasSpecial(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                i += 8
            }
            while i < end {
                let byte = base[i]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return i }
                i += 1
            }
            return end
        }

        mutating func parseHex4() throws -> UInt32 {
            guard let base = bytes.baseAddress, index + 4 <= bytes.count else { throw error("unexpected end") }
            guard let code = Parser.hex4(base, at: index, end: bytes.count) else { throw error("invalid \\u escape") }
            index += 4
            return code
        }

        /// A number, exactly as written (never rounded through a double).
        mutating func parseNumber() throws -> Number {
            let start = index
            while index < bytes.count, Parser.isNumberByte(bytes[index]) { index += 1 }
            // Fast path: a short plain integer, the common case (sizes, counts).
            let isNegative = index > start && bytes[start] == UInt8(ascii: "-")
            let first = isNegative ? start + 1 : start
            if index > first, index - first <= 18,
               bytes[first..<index].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                let magnitude = bytes[first..<index].reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
                return Number(isNegative ? -magnitude : magnitude)
            }
            guard index > start, let text = NumberText(UnsafeBufferPointer(rebasing: bytes[start..<index])),
                  let number = Number(isNegative: text.isNegative, digits: text.digits, exponent: text.exponent) else {
                index = start
                throw error("invalid value")
            }
            return number
        }

        static func isNumberByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                return true
            default:
                return false
            }
        }
    }
}
