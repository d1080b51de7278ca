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
    }

    /// One attribute that changed outside tend.
    public struct AttributeDrift: Sendable, Hashable, Codable {
        public var path: AttributePath
        public var expected: Value?
        public var actual: Value?
        public var isSensitive: Bool

        public init(path: AttributePath, expected: Value?, actual: Value?, isSensitive: Bool) {
            self.path = path
            self.expected = expected
            self.actual = actual
            self.isSensitive = isSensitive
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
