import TendModel

/// Compares planned and observed attribute values the way the schema says they compare.
enum AttributeComparison {
    /// Whether `actual` matches `expected`; unknown expected values match anything.
    static func matches(_ expected: Value, _ actual: Value?, schema: AttributeSchema?) -> Bool {
        if expected.containsUnknown { return true }
        guard let actual else { return expected == .null }
        let type = schema?.type ?? .any
        let lhs = type.typed(type.coerce(expected))
        let rhs = type.typed(type.coerce(actual))
        switch schema?.normalisation ?? .none {
        case .fileMode:
            return octal(lhs) != nil && octal(lhs) == octal(rhs)
        case .json, .none:
            return lhs == rhs
        }
    }

    /// A value for messages: sensitive ones hidden.
    static func show(_ value: Value?, schema: AttributeSchema?) -> String {
        guard let value else { return "absent" }
        if schema?.sensitive == true { return "(sensitive)" }
        return "\(value)"
    }

    private static func octal(_ value: Value) -> Int? {
        guard let text = value.interpolationText, !text.isEmpty else { return nil }
        return Int(text, radix: 8)
    }
}
