/// What values an attribute accepts beyond its type: the ranges of ports, modes, counts and concurrency.
///
/// The same check runs in `validate` (on literal values, with the place in the manifest) and in providers at plan
/// time (on values known only then), so the two never disagree.
public indirect enum ValueConstraint: Sendable, Hashable, Codable {
    /// A whole number in the range, or one of the extra values; as a number or as decimal text (`"8080"`).
    case integer(ClosedRange<Int64>, also: [Int64] = [])
    /// A file mode: 1 to 4 octal digits up to 7777 (a fifth digit only as a leading zero), as text (`"0644"`) or as a
    /// number written in octal digits (`644`).
    case fileMode
    /// Every item of a list meets the constraint.
    case each(ValueConstraint)
    /// The named fields of an object (a map) meet their constraints.
    case fields([String: ValueConstraint])

    /// The places in `value` that break the constraint, with why; empty when it is met or not yet known.
    public func violations(in value: Value, at path: AttributePath = AttributePath([])) -> [(AttributePath, String)] {
        if value == .null || value == .unknown { return [] }
        switch self {
        case let .integer(range, also):
            if let reason = ValueConstraint.integerProblem(value, range: range, also: also) { return [(path, reason)] }
            return []
        case .fileMode:
            return ValueConstraint.fileModeProblem(value).map { [(path, $0)] } ?? []
        case let .each(item):
            guard let items = value.elements else { return [] }
            return items.enumerated().flatMap { item.violations(in: $0.element, at: path.appending(.index($0.offset))) }
        case let .fields(constraints):
            guard let entries = value.mapValue else { return [] }
            return constraints.keys.sorted().flatMap { key -> [(AttributePath, String)] in
                guard let field = entries[key], let constraint = constraints[key] else { return [] }
                return constraint.violations(in: field, at: path.appending(.key(key)))
            }
        }
    }

    /// The checked integer, when `value` is a whole number (or decimal text of one) in `range` or `also`.
    public static func checkedInteger(_ value: Value, in range: ClosedRange<Int64>, also: [Int64] = []) -> Int64? {
        let number: Number?
        switch value {
        case let .number(n): number = n
        case let .string(text): number = Number(parsing: text)
        default: number = nil
        }
        guard let integer = number?.int64Value, range.contains(integer) || also.contains(integer) else { return nil }
        return integer
    }

    /// The permission bits of a file mode, parsed as every provider parses it; nil when it is not one.
    public static func fileModeBits(_ value: Value) -> UInt32? {
        switch value {
        case .string, .number: break
        default: return nil
        }
        guard let text = value.interpolationText, !text.isEmpty, text.utf8.count <= 5 else { return nil }
        var bits: UInt32 = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7") else { return nil }
            bits = bits * 8 + UInt32(byte - UInt8(ascii: "0"))
        }
        return bits <= 0o7777 ? bits : nil
    }

    private static func integerProblem(_ value: Value, range: ClosedRange<Int64>, also: [Int64]) -> String? {
        guard checkedInteger(value, in: range, also: also) == nil else { return nil }
        let extra = also.isEmpty ? "" : " (or " + also.map(String.init).joined(separator: ", ") + ")"
        return "expected a whole number from \(range.lowerBound) to \(range.upperBound)\(extra), got \(shown(value))"
    }

    private static func fileModeProblem(_ value: Value) -> String? {
        switch value {
        case .string, .number: break
        default: return nil  // other kinds are the type check's to report
        }
        guard fileModeBits(value) == nil else { return nil }
        return "expected a file mode of up to 4 octal digits such as \"0644\", got \(shown(value))"
    }

    /// The value as the user wrote it, shortened when long.
    private static func shown(_ value: Value) -> String {
        let text = value.canonicalJSON
        return text.count <= 40 ? text : String(text.prefix(37)) + "..."
    }
}
