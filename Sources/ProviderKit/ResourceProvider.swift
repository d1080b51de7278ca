// ProviderKit is the provider contract: the protocol every provider implements,
// its request and response types, ProviderError and the registry. It imports
// TendModel only; it never sees the engine, state or another provider.

import TendModel

/// Facts about the run a provider may use: where the manifests are, which stack it serves.
public struct ProviderContext: Sendable, Hashable {
    /// The manifest directory: relative paths resolve against it.
    public var baseDirectory: String
    /// The stack name, tagged onto created cloud objects.
    public var stack: String
    /// The provider block from the manifest, variables already interpolated.
    public var configuration: [String: Value]

    /// Creates a context.
    public init(baseDirectory: String, stack: String, configuration: [String: Value] = [:]) {
        self.baseDirectory = baseDirectory
        self.stack = stack
        self.configuration = configuration
    }
}

/// What a create returns: the new object's id and every attribute.
public struct CreatedObject: Sendable, Hashable {
    /// The provider's id for the object.
    public var id: String
    /// Every attribute after create, computed ones filled in.
    public var attributes: [String: Value]

    /// Creates a result.
    public init(id: String, attributes: [String: Value]) {
        self.id = id
        self.attributes = attributes
    }
}

/// A provider: a named set of resource types, each with a schema and Observe/Create/Update/Delete.
///
/// Every operation must be idempotent: create is safe to retry, delete of something gone succeeds.
/// The core owns diffing, ordering, retries and state; a provider never writes state.
public protocol ResourceProvider: Sendable {
    /// The provider's name, the prefix of its types (`local` for `local_file`).
    var name: String { get }

    /// The schemas of every type it manages.
    var schemas: [ResourceSchema] { get }

    /// The settings of its provider block that `validate` checks (types and constraints such as
    /// `max_concurrency` 1 to 1024), by name. Settings not listed are passed through unchecked. The default is none.
    var settingsSchema: [String: AttributeSchema] { get }

    /// Plans the desired attributes: normalises declared values and fills computed ones known before apply.
    /// Unknown computed values stay absent. The default returns `desired` unchanged.
    func plan(type: String, desired: [String: Value], context: ProviderContext) async throws -> [String: Value]

    /// Plans like `plan(type:desired:context:)`, given the attributes recorded at the last apply (nil for an object
    /// not created yet), so values derived from unchanged inputs need not be computed again. The result must equal
    /// what `plan(type:desired:context:)` returns. The default ignores `prior`.
    func plan(type: String, desired: [String: Value], prior: [String: Value]?, context: ProviderContext) async throws -> [String: Value]

    /// Reads the object; nil when it no longer exists. `prior` holds the last recorded attributes.
    func observe(type: String, id: String, prior: [String: Value], context: ProviderContext) async throws -> [String: Value]?

    /// Creates the object. `address` identifies it for tagging and crash recovery.
    func create(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject

    /// Reads many objects of one type at once (batched API calls); returns attributes by id for those that
    /// exist (missing ids are gone), or nil when the type cannot read in bulk. `priors` maps id → last recorded
    /// attributes. The default is nil: the engine then calls `observe` per object.
    func observe(type: String, priors: [String: [String: Value]], context: ProviderContext) async throws -> [String: [String: Value]]?

    /// Updates the object in place and returns every attribute afterwards.
    func update(type: String, id: String, current: [String: Value], desired: [String: Value], context: ProviderContext) async throws -> [String: Value]

    /// Deletes the object; succeeds when it is already gone.
    func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws

    /// Finds an object a crashed create may have left behind; nil when there is none. The default finds nothing.
    func recover(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject?

    /// Ids of every existing object of the type, or nil when the type cannot be listed. The default is nil.
    func list(type: String, context: ProviderContext) async throws -> [String]?
}

extension ResourceProvider {
    /// No checked settings.
    public var settingsSchema: [String: AttributeSchema] { [:] }

    /// Returns `desired` unchanged.
    public func plan(type: String, desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        desired
    }

    /// Ignores `prior`.
    public func plan(type: String, desired: [String: Value], prior: [String: Value]?, context: ProviderContext) async throws -> [String: Value] {
        try await plan(type: type, desired: desired, context: context)
    }

    /// Cannot read in bulk.
    public func observe(type: String, priors: [String: [String: Value]], context: ProviderContext) async throws -> [String: [String: Value]]? {
        nil
    }

    /// Finds nothing.
    public func recover(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject? {
        nil
    }

    /// Cannot list.
    public func list(type: String, context: ProviderContext) async throws -> [String]? {
        nil
    }

    /// The schema of one type, if the provider has it.
    public func schema(for type: String) -> ResourceSchema? {
        schemas.first { $0.type == type }
    }
}
