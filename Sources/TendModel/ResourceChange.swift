/// What apply will do to one resource.
public enum ChangeAction: String, Sendable, Hashable, Codable, CaseIterable {
    case noop = "no-op"
    case create
    case update
    /// Replace: delete then create.
    case deleteThenCreate = "delete-then-create"
    /// Replace: create the new object first (create_before_destroy).
    case createThenDelete = "create-then-delete"
    case delete

    /// By case, inlined where it is used: through the derived comparison, `change.action == .delete` copied the
    /// whole change to compare one byte (see `ResourceRecord.Status`).
    @inlinable
    public static func == (lhs: ChangeAction, rhs: ChangeAction) -> Bool {
        switch (lhs, rhs) {
        case (.noop, .noop), (.create, .create), (.update, .update), (.deleteThenCreate, .deleteThenCreate),
             (.createThenDelete, .createThenDelete), (.delete, .delete): true
        default: false
        }
    }

    /// Terraform plan JSON `actions` array.
    public var terraformActions: [String] {
        switch self {
        case .noop: return ["no-op"]
        case .create: return ["create"]
        case .update: return ["update"]
        case .deleteThenCreate: return ["delete", "create"]
        case .createThenDelete: return ["create", "delete"]
        case .delete: return ["delete"]
        }
    }

    /// Whether the action destroys the existing object.
    public var isDestroying: Bool { self == .delete || self == .deleteThenCreate || self == .createThenDelete }

    /// Whether the action replaces the object.
    public var isReplace: Bool { self == .deleteThenCreate || self == .createThenDelete }
}

/// One planned change: an action with before and after values. The reason is shown, never steers apply.
public struct ResourceChange: Sendable, Hashable, Codable {
    public var address: ResourceAddress
    public var type: String
    public var provider: String
    public var action: ChangeAction
    /// Attributes before (from refresh), nil for create.
    public var before: [String: Value]?
    /// Attributes after, with `.unknown` for what is known only after apply; nil for delete.
    public var after: [String: Value]?
    /// Attribute paths whose change is planned (for update and replace).
    public var changedPaths: [AttributePath]
    /// Attribute paths whose change forces replacement.
    public var replacePaths: [AttributePath]
    /// Sensitive attribute paths, from the schema and derived from sensitive values; a path covers what lies below it.
    public var sensitivePaths: [AttributePath]
    /// Why, in words.
    /// The reason of a replacement asked for with `--replace`.
    public static let replacementRequested = "replacement requested with --replace"

    public var reason: String?
    /// For the delete of a deposed object (the old half of a create_before_destroy replacement): its id.
    public var deposedID: String?
    /// Private data the provider returned with its plan, handed to the create or update that carries it out.
    public var plannedPrivate: String?

    public init(address: ResourceAddress, type: String, provider: String, action: ChangeAction,
                before: [String: Value]?, after: [String: Value]?, changedPaths: [AttributePath] = [],
                replacePaths: [AttributePath] = [], sensitivePaths: [AttributePath] = [], reason: String? = nil,
                deposedID: String? = nil) {
        self.address = address
        self.type = type
        self.provider = provider
        self.action = action
        self.before = before
        self.after = after
        self.changedPaths = changedPaths
        self.replacePaths = replacePaths
        self.sensitivePaths = sensitivePaths
        self.reason = reason
        self.deposedID = deposedID
    }
}

/// A difference between the last applied state and what refresh observed.
public struct DriftChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case changed
        case missing
        case unmanaged

        /// By case, inlined where it is used (see `ResourceRecord.Status`).
        @inlinable
        public static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case (.changed, .changed), (.missing, .missing), (.unmanaged, .unmanaged): true
            default: false
            }
        }
    }

    /// One attribute that changed outside tend.
    public struct AttributeDrift: Sendable, Hashable, Codable {
        public var path: AttributePath
        public var expected: Value?
        public var actual: Value?
        public var isSensitive: Bool
        /// Computed attributes that changed because this one did (a file's `sha256` and `size` beside its
        /// `content`): shown with this finding, never findings of their own.
        public var context: [AttributeDrift]

        public init(path: AttributePath, expected: Value?, actual: Value?, isSensitive: Bool, context: [AttributeDrift] = []) {
            self.path = path
            self.expected = expected
            self.actual = actual
            self.isSensitive = isSensitive
            self.context = context
        }

        private enum CodingKeys: String, CodingKey {
            case path, expected, actual, isSensitive, context
        }

        /// Decodes; plan files written before drift carried context have none.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            path = try container.decode(AttributePath.self, forKey: .path)
            expected = try container.decodeIfPresent(Value.self, forKey: .expected)
            actual = try container.decodeIfPresent(Value.self, forKey: .actual)
            isSensitive = try container.decode(Bool.self, forKey: .isSensitive)
            context = try container.decodeIfPresent([AttributeDrift].self, forKey: .context) ?? []
        }
    }

    public var address: ResourceAddress
    public var type: String
    public var provider: String
    public var kind: Kind
    public var before: [String: Value]?
    public var after: [String: Value]?
    public var attributes: [AttributeDrift]
    public var sensitivePaths: [AttributePath]

    public init(address: ResourceAddress, type: String, provider: String, kind: Kind, before: [String: Value]?,
                after: [String: Value]?, attributes: [AttributeDrift], sensitivePaths: [AttributePath]) {
        self.address = address
        self.type = type
        self.provider = provider
        self.kind = kind
        self.before = before
        self.after = after
        self.attributes = attributes
        self.sensitivePaths = sensitivePaths
    }
}

/// A computed attribute that changed along with a finding's attribute, recorded and shown with that finding (values
/// redacted already where sensitive).
public struct FindingContext: Sendable, Hashable, Codable {
    public var path: String
    public var expected: Value?
    public var actual: Value?

    public init(path: String, expected: Value?, actual: Value?) {
        self.path = path
        self.expected = expected
        self.actual = actual
    }

    /// As stored and exported: `{"actual": …, "expected": …, "path": …}`, a missing side as null.
    public var value: Value {
        .map(["path": .string(path), "expected": expected ?? .null, "actual": actual ?? .null])
    }

    /// Read back from `value`; nil when the shape is not one.
    public init?(_ value: Value) {
        guard case let .map(entries) = value, let path = entries["path"]?.stringValue else { return nil }
        self.init(path: path, expected: entries["expected"], actual: entries["actual"])
    }
}
