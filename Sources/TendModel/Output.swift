/// A declared output (`outputs:` in a manifest): a value the stack reports after apply, kept in state.
public struct OutputSpec: Sendable, Hashable, Codable {
    public var name: String
    /// The value; references to resources and data sources are still expressions.
    public var value: Expression
    public var description: String?
    /// Whether the value is sensitive: never printed, a mark in every JSON form.
    public var sensitive: Bool
    /// Where the output is declared.
    public var location: SourceLocation?

    public init(name: String, value: Expression, description: String? = nil, sensitive: Bool = false,
                location: SourceLocation? = nil) {
        self.name = name
        self.value = value
        self.description = description
        self.sensitive = sensitive
        self.location = location
    }

    /// The resource instances and data sources the value reads.
    public var dependencies: [ResourceAddress] { Array(Set(value.references.map(\.address))).sorted() }
}

/// An output's value as recorded in state after an apply.
public struct OutputValue: Sendable, Hashable, Codable {
    public var name: String
    public var value: Value
    public var sensitive: Bool

    public init(name: String, value: Value, sensitive: Bool) {
        self.name = name
        self.value = value
        self.sensitive = sensitive
    }
}

/// What a plan does to one output: `before` as recorded in state, `after` as the plan evaluates it (with unknown
/// parts where the value is known only after apply); nil for an output that does not exist on that side.
public struct OutputChange: Sendable, Hashable, Codable {
    public var name: String
    public var before: Value?
    public var after: Value?
    public var sensitive: Bool

    public init(name: String, before: Value?, after: Value?, sensitive: Bool) {
        self.name = name
        self.before = before
        self.after = after
        self.sensitive = sensitive
    }

    public var action: ChangeAction {
        guard let before else { return after == nil ? .noop : .create }
        guard let after else { return .delete }
        return before == after ? .noop : .update
    }
}
