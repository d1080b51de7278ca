import TendModel

extension ResourceBuilder {
    /// The places among an expression's literal parts that break a schema constraint (a port out of range, a
    /// malformed file mode). Parts that hold references are known only at plan time, where the provider checks them.
    static func violations(_ expression: Expression, _ constraint: ValueConstraint,
                           at path: AttributePath = AttributePath([])) -> [(AttributePath, String)] {
        switch (expression, constraint) {
        case let (.literal(value), _):
            return constraint.violations(in: value, at: path)
        case let (.list(items), .each(item)):
            return items.enumerated().flatMap { violations($0.element, item, at: path.appending(.index($0.offset))) }
        case let (.map(entries), .fields(fields)):
            return fields.keys.sorted().flatMap { key -> [(AttributePath, String)] in
                guard let entry = entries[key], let field = fields[key] else { return [] }
                return violations(entry, field, at: path.appending(.key(key)))
            }
        default:
            return []
        }
    }
}
