/// An exact number: a 64-bit integer, or the exact decimal value of any other number (a fraction, or an integer
/// beyond 64 bits), never rounded through a binary floating point.
///
/// Equality is numeric: `1`, `1.0` and `10e-1` are the same number, and so hash alike. Every conversion to a
/// narrower type is checked (`int64Value`, `intValue`); `doubleValue` is the nearest double, for arithmetic only.
public struct Number: Sendable, Hashable, CustomStringConvertible {
    /// One canonical form per value, so the synthesised equality and hash are numeric.
    enum Storage: Sendable, Hashable {
        /// Any integer that fits in 64 bits (zero is always here).
        case integer(Int64)
        /// Anything else: `±digits × 10^exponent`, with no leading or trailing zeros in `digits`. Boxed, so a number,
        /// and with it every `Value`, stays small: 24 bytes a value instead of 40, in every dictionary of attributes.
        indirect case decimal(isNegative: Bool, digits: String, exponent: Int)
    }

    let storage: Storage

    /// The largest decimal exponent accepted when parsing; beyond it no number in a manifest makes sense, and the
    /// canonical text stays short.
    public static let maximumExponent = 100_000_000

    /// The integer itself.
    public init(_ value: Int64) {
        storage = .integer(value)
    }

    /// The integer itself.
    public init(_ value: Int) {
        storage = .integer(Int64(value))
    }

    /// The shortest decimal that reads back as `double`; nil for NaN and the infinities, which are not numbers
    /// in JSON or YAML.
    public init?(_ double: Double) {
        guard double.isFinite else { return nil }
        if let integer = Int64(exactly: double) {
            storage = .integer(integer)
        } else {
            guard let parsed = Number(parsing: double.description) else { return nil }
            self = parsed
        }
    }

    /// Parses decimal number text: an optional sign, digits with an optional fraction, and an optional exponent
    /// (`-12`, `0.5`, `.5`, `1e300`, `1.5E-7`). Nil for anything else, including hexadecimal, `inf` and `nan`.
    public init?(parsing text: some StringProtocol) {
        guard let parsed = NumberText(text.utf8) else { return nil }
        self.init(isNegative: parsed.isNegative, digits: parsed.digits, exponent: parsed.exponent)
    }

    /// Normalises `±digits × 10^exponent` (digits: ASCII decimal digits, maybe with leading or trailing zeros).
    init?(isNegative: Bool, digits: [UInt8], exponent: Int) {
        let zero = UInt8(ascii: "0")
        guard let first = digits.firstIndex(where: { $0 != zero }),
              let last = digits.lastIndex(where: { $0 != zero }) else {
            storage = .integer(0)
            return
        }
        let significant = digits[first...last]
        let (shifted, overflow) = exponent.addingReportingOverflow(digits.count - 1 - last)
        guard !overflow, abs(shifted) <= Number.maximumExponent else { return nil }
        if shifted >= 0, significant.count + shifted <= 19, let integer = Number.integer(significant, shifted, isNegative) {
            storage = .integer(integer)
        } else {
            storage = .decimal(isNegative: isNegative, digits: String(decoding: significant, as: UTF8.self),
                               exponent: shifted)
        }
    }

    /// `±digits × 10^exponent` as an Int64, or nil when it does not fit.
    private static func integer(_ digits: ArraySlice<UInt8>, _ exponent: Int, _ isNegative: Bool) -> Int64? {
        var magnitude: UInt64 = 0
        for digit in digits {
            let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            magnitude = sum
        }
        for _ in 0..<exponent {
            let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            magnitude = times
        }
        if isNegative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return Int64(exactly: magnitude).map { -$0 }
        }
        return Int64(exactly: magnitude)
    }

    /// The value as an Int64, or nil when it is fractional or does not fit.
    public var int64Value: Int64? {
        if case let .integer(value) = storage { return value }
        return nil
    }

    /// The value as an Int, or nil when it is fractional or does not fit.
    public var intValue: Int? {
        int64Value.flatMap { Int(exactly: $0) }
    }

    /// Whether the value is a whole number (of any size).
    public var isInteger: Bool {
        switch storage {
        case .integer: return true
        case let .decimal(_, _, exponent): return exponent >= 0
        }
    }

    /// The value as an Int64 when it is a whole number within `range`; nil otherwise.
    public func int64Value(in range: ClosedRange<Int64>) -> Int64? {
        guard let value = int64Value, range.contains(value) else { return nil }
        return value
    }

    /// The nearest double: for arithmetic and display only. Beyond the double range it is an infinity or zero.
    public var doubleValue: Double {
        switch storage {
        case let .integer(value): return Double(value)
        case .decimal: return Double(description) ?? 0
        }
    }

    /// Canonical text, valid in JSON and YAML: plain digits from 1e-6 up to below 1e21 (as JavaScript writes
    /// numbers), scientific notation outside (`1e300`, `1.5e-9`). Equal numbers have equal text.
    public var description: String {
        switch storage {
        case let .integer(value):
            return String(value)
        case let .decimal(isNegative, digits, exponent):
            let sign = isNegative ? "-" : ""
            // Where the decimal point falls, counted in digits from the left of `digits`.
            let point = digits.count + exponent
            if point > 21 || point <= -6 {
                let head = String(digits.prefix(1))
                let rest = String(digits.dropFirst())
                return sign + (rest.isEmpty ? head : head + "." + rest) + "e" + String(point - 1)
            }
            if exponent >= 0 { return sign + digits + String(repeating: "0", count: exponent) }
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
            return sign + String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
    }
}

extension Number: ExpressibleByIntegerLiteral {
    /// The literal's integer.
    public init(integerLiteral value: Int64) {
        self.init(value)
    }
}

extension Number: ExpressibleByFloatLiteral {
    /// A literal's shortest decimal form (`0.1` is one tenth, not the double nearest to it).
    public init(floatLiteral value: Double) {
        self = Number(value) ?? Number(0)
    }
}

/// The parts of decimal number text, read without allocating more than the digits.
struct NumberText {
    var isNegative = false
    var digits: [UInt8] = []
    var exponent = 0

    init?(_ bytes: some Collection<UInt8>) {
        var index = bytes.startIndex
        func peek() -> UInt8? { index < bytes.endIndex ? bytes[index] : nil }
        if let sign = peek(), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            isNegative = sign == UInt8(ascii: "-")
            index = bytes.index(after: index)
        }
        var fractionDigits = 0
        var seenPoint = false
        digits.reserveCapacity(bytes.count)
        while let byte = peek() {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits.append(byte)
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                break
            }
            index = bytes.index(after: index)
        }
        guard !digits.isEmpty else { return nil }
        var written = 0
        if let marker = peek(), marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            index = bytes.index(after: index)
            var isNegativeExponent = false
            if let sign = peek(), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                isNegativeExponent = sign == UInt8(ascii: "-")
                index = bytes.index(after: index)
            }
            var exponentDigits = 0
            while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                // Saturates far beyond Number.maximumExponent, which then rejects it.
                written = min(written * 10 + Int(byte - UInt8(ascii: "0")), 1 << 40)
                exponentDigits += 1
                index = bytes.index(after: index)
            }
            guard exponentDigits > 0 else { return nil }
            if isNegativeExponent { written = -written }
        }
        guard index == bytes.endIndex else { return nil }
        exponent = written - fractionDigits
    }
}
