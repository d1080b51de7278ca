/// One attribute of a resource type.
public struct AttributeSchema: Sendable, Hashable, Codable {
    /// Who sets the attribute.
    public enum Mode: String, Sendable, Hashable, Codable {
        /// The user must set it.
        case required
        /// The user may set it.
        case optional
        /// The provider sets it; the user may not.
        case computed
        /// The user may set it; otherwise the provider does.
        case optionalComputed = "optional_computed"

        /// By case, inlined where it is used (see `ResourceAddress.==`).
        @inlinable
        public static func == (lhs: Mode, rhs: Mode) -> Bool {
            switch (lhs, rhs) {
            case (.required, .required), (.optional, .optional), (.computed, .computed),
                 (.optionalComputed, .optionalComputed): true
            default: false
            }
        }
    }

    /// How values are compared.
    public enum Normalisation: String, Sendable, Hashable, Codable {
        case none
        /// JSON documents compared semantically, not as text.
        case json
        /// File modes: "644" and "0644" are the same.
        case fileMode = "file_mode"
    }

    public var type: AttributeType
    public var mode: Mode
    public var forceNew: Bool
    public var sensitive: Bool
    public var defaultValue: Value?
    public var normalisation: Normalisation
    public var description: String
    /// Changes on its own (an instance's running state, a timestamp): refreshed, but never drift.
    public var isVolatile: Bool
    /// What values are accepted beyond the type (a port range, a file mode); checked by `validate` on literal
    /// values, and by the provider at plan time on values known only then.
    public var constraint: ValueConstraint?
    /// The attributes a computed one is worked out from (a file's `sha256` and `size` from its `content`): when they
    /// change together, drift reports one finding, the source's, with this attribute as its context. Empty for none.
    public var derivedFrom: [String]

    public init(_ type: AttributeType, _ mode: Mode, forceNew: Bool = false, sensitive: Bool = false,
                default defaultValue: Value? = nil, normalisation: Normalisation = .none, description: String = "",
                volatile: Bool = false, constraint: ValueConstraint? = nil, derivedFrom: [String] = []) {
        self.isVolatile = volatile
        self.derivedFrom = derivedFrom
        self.constraint = constraint
        self.type = type
        self.mode = mode
        self.forceNew = forceNew
        self.sensitive = sensitive
        self.defaultValue = defaultValue
        self.normalisation = normalisation
        self.description = description
    }

    /// Whether the user may set this attribute.
    public var isSettable: Bool { mode != .computed }
    /// Whether the provider may fill it in.
    public var isComputed: Bool { mode == .computed || mode == .optionalComputed }
}
