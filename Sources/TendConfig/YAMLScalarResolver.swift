/// What a plain scalar stands for under YAML 1.1's implicit tags, exactly as Yams' default resolver decides it (its
/// bool, int, float and null rules, in that order), without a regular expression per scalar: one pass over the bytes,
/// so a list of a hundred thousand scalars or one string of megabytes costs what reading it costs.
enum YAMLScalarResolver {
    enum Resolution: Equatable {
        case null, bool, int, float, string
    }

    static func resolve(_ text: String) -> Resolution {
        var text = text
        return text.withUTF8 { resolve(bytes: $0) }
    }

    static func resolve(bytes: UnsafeBufferPointer<UInt8>) -> Resolution {
        if bytes.count <= 5, isBool(bytes) { return .bool }
        if isInt(bytes) { return .int }
        if isFloat(bytes) { return .float }
        if isNull(bytes) { return .null }
        return .string
    }

    private static let boolWords: Set<[UInt8]> = Set([
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ].map { Array($0.utf8) })

    private static let nullWords: Set<[UInt8]> = Set(["", "~", "null", "Null", "NULL"].map { Array($0.utf8) })

    private static func isBool(_ b: UnsafeBufferPointer<UInt8>) -> Bool { boolWords.contains(Array(b)) }

    private static func isNull(_ b: UnsafeBufferPointer<UInt8>) -> Bool { b.count <= 4 && nullWords.contains(Array(b)) }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// Index after an optional sign.
    private static func afterSign(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        b.first == UInt8(ascii: "-") || b.first == UInt8(ascii: "+") ? 1 : 0
    }

    /// Whether every byte from `start` is one of `allowed`, and there is at least one.
    private static func allMatch(_ b: UnsafeBufferPointer<UInt8>, from start: Int, _ allowed: (UInt8) -> Bool) -> Bool {
        guard start < b.count else { return false }
        for i in start..<b.count where !allowed(b[i]) { return false }
        return true
    }

    /// `(:[0-5]?[0-9])+` from `start` to the end.
    private static func isSexagesimalTail(_ b: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Bool {
        var i = start
        guard i < end else { return false }
        while i < end {
            guard b[i] == UInt8(ascii: ":") else { return false }
            var j = i + 1
            while j < end, isDigit(b[j]) { j += 1 }
            let digits = j - i - 1
            guard digits == 1 || (digits == 2 && b[i + 1] <= UInt8(ascii: "5")) else { return false }
            i = j
        }
        return true
    }

    /// `[1-9][0-9_]*` from `start`; the index after it, or nil.
    private static func decimalRun(_ b: UnsafeBufferPointer<UInt8>, from start: Int, end: Int, leading: ClosedRange<UInt8>) -> Int? {
        guard start < end, leading.contains(b[start]) else { return nil }
        var i = start + 1
        while i < end, isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
        return i
    }

    private static func isInt(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = afterSign(b)
        guard s < b.count else { return false }
        if b[s] == UInt8(ascii: "0") {
            if b.count == s + 1 { return true }
            let marker = b[s + 1]
            if marker == UInt8(ascii: "b") { return allMatch(b, from: s + 2) { $0 == 0x30 || $0 == 0x31 || $0 == 0x5F } }
            if marker == UInt8(ascii: "x") {
                return allMatch(b, from: s + 2) { isDigit($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) || $0 == 0x5F }
            }
            let octalStart = marker == UInt8(ascii: "o") ? s + 2 : s + 1
            return allMatch(b, from: octalStart) { (0x30...0x37).contains($0) || $0 == 0x5F }
        }
        guard let end = decimalRun(b, from: s, end: b.count, leading: 0x31...0x39) else { return false }
        return end == b.count || isSexagesimalTail(b, from: end, end: b.count)
    }

    private static func isFloat(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = afterSign(b)
        guard s < b.count else { return false }
        let dot = UInt8(ascii: ".")
        if b[s] == dot {
            let rest = Array(b[(s + 1)...])
            if rest == Array("inf".utf8) || rest == Array("Inf".utf8) || rest == Array("INF".utf8) { return true }
            if s == 0, rest == Array("nan".utf8) || rest == Array("NaN".utf8) || rest == Array("NAN".utf8) { return true }
            // `\.[0-9_]+([eE][-+][0-9]+)?`, without a sign.
            guard s == 0 else { return false }
            var i = 1
            while i < b.count, isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
            guard i > 1 else { return false }
            if i == b.count { return true }
            guard b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E"), i + 1 < b.count,
                  b[i + 1] == UInt8(ascii: "-") || b[i + 1] == UInt8(ascii: "+") else { return false }
            return allMatch(b, from: i + 2, isDigit)
        }
        guard let end = decimalRun(b, from: s, end: b.count, leading: 0x30...0x39) else { return false }
        return isPlainFloatTail(b, from: end) || isSexagesimalFloatTail(b, from: end)
    }

    /// `(\.[0-9_]*)?([eE][-+]?[0-9]+)?` from `start` to the end.
    private static func isPlainFloatTail(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var i = start
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
        }
        if i == b.count { return true }
        guard b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") else { return false }
        i += 1
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        return allMatch(b, from: i, isDigit)
    }

    /// `(:[0-5]?[0-9])+\.[0-9_]*` from `start` to the end.
    private static func isSexagesimalFloatTail(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        guard let dot = b[start...].lastIndex(of: UInt8(ascii: ".")), dot > start else { return false }
        for i in (dot + 1)..<b.count where !(isDigit(b[i]) || b[i] == UInt8(ascii: "_")) { return false }
        return isSexagesimalTail(b, from: start, end: dot)
    }
}
