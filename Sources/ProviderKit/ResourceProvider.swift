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
    /// Ids of objects the operation replaces (the old object of a create_before_destroy replacement). It carries the
    /// same address, so a create or a recovery that looks objects up by address must not take it for its own.
    public var replacing: Set<String>
    /// The private data of the object a call is about: what the provider returned with it last (observe, update,
    /// delete), or with its plan (create). Nil when there is none.
    public var privateData: String?
    /// The object's configuration as declared, references resolved (create and update at apply time): what a
    /// provider that distinguishes configuration from planned values (a Terraform plugin) sends as `config`. The
    /// `desired` argument of create and update holds planned values, defaults a provider filled in included. Nil
    /// when there is none (delete, observe, import).
    public var declared: [String: Value]?
    /// What a read (observe, bulk or single) must report as it is now: for each object id, the top-level attributes
    /// its configuration declares (the defaults a configuration loader fills in are not declared). A provider may
    /// skip the requests that only serve other attributes and report those as `prior` records them, so they neither
    /// drift nor change a plan; what identifies the object and whether it exists must still be read. Nil, or no
    /// entry for an id, means unknown (import, accept, an object no longer declared): read everything.
    public var declaredAttributes: [String: Set<String>]?

    /// Creates a context.
    public init(baseDirectory: String, stack: String, configuration: [String: Value] = [:], replacing: Set<String> = [],
                privateData: String? = nil) {
        self.baseDirectory = baseDirectory
        self.stack = stack
        self.configuration = configuration
        self.replacing = replacing
        self.privateData = privateData
    }
}

/// What a create (or an update through `updateObject`) returns: the object's id, every attribute, and private
/// data for state to keep and hand back.
public struct CreatedObject: Sendable, Hashable {
    /// The provider's id for the object.
    public var id: String
    /// Every attribute after create, computed ones filled in.
    public var attributes: [String: Value]
    /// Opaque data the provider wants back on its next calls about the object; nil for none.
    public var privateData: String?

    /// Creates a result.
    public init(id: String, attributes: [String: Value], privateData: String? = nil) {
        self.id = id
        self.attributes = attributes
        self.privateData = privateData
    }
}

/// A provider: a named set of resource types, each with a schema and Observe/Create/Update/Delete.
///
/// Every operation must be idempotent: create is safe to retry, delete of something gone succeeds.
/// The core owns diffing, ordering, retries and state; a provider never writes state.
///
/// Lifecycle: the engine calls `configure(context:)` once per run before the provider's first operation, and
/// `stop()` when the run ends. Schemas may be fetched at run time (`fetchSchemas()`); recorded state written under
/// an older schema version is brought up to date with `upgrade(type:attributes:from:context:)` before it is read.
public protocol ResourceProvider: Sendable {
    /// The provider's name, the prefix of its types (`local` for `local_file`).
    var name: String { get }

    /// The schemas of every type it manages, as far as they are known without asking anything at run time.
    var schemas: [ResourceSchema] { get }

    /// The settings of its provider block that `validate` checks (types and constraints such as
    /// `max_concurrency` 1 to 1024), by name. Settings not listed are passed through unchecked. The default is none.
    var settingsSchema: [String: AttributeSchema] { get }

    /// Fetches the schemas of every type (an out-of-process provider asks its plugin). The default is `schemas`.
    func fetchSchemas() async throws -> [ResourceSchema]

    /// The schema of one type, if the provider has it. The default searches `schemas`; a provider with many types
    /// (a Terraform plugin has hundreds) answers from an index.
    func schema(for type: String) -> ResourceSchema?

    /// The name of every type it manages; the default lists `schemas`.
    var typeNames: [String] { get }

    /// Whether a create may be sent again for the same object without making a second one (a client token, tags the
    /// provider looks objects up by). Terraform's providers cannot promise it: their errors are never transient, so
    /// the engine never re-sends their creates. The default is true.
    var createIsRetrySafe: Bool { get }

    /// Whether `planObject` accepts desired values that are not known yet (`.unknown`, references to objects created
    /// in the same run) and plans around them, as Terraform's providers do. When false (the default) the engine
    /// plans such an object itself, passing the values through, and the provider plans it at apply time.
    var plansUnknownValues: Bool { get }

    /// Whether its schemas are looked up one type at a time (`schema(for:)`) rather than listed: a plugin with
    /// 1,500 types converts only those a configuration uses. The default is false.
    var servesSchemasOnDemand: Bool { get }

    /// Configures the provider for one run with the provider block in `context`; called once, before any other
    /// operation of the run. The default does nothing (built-in providers read the block per call).
    func configure(context: ProviderContext) async throws

    /// Ends the run: releases connections or plugin processes. The default does nothing.
    func stop() async

    /// Plans one object: the planned attributes (declared ones normalised, computed ones filled in where known
    /// before apply) and the paths whose change forces a replacement beyond the schema's `force_new` attributes.
    /// `prior` is nil for an object not created yet. The default asks `plan(type:desired:prior:context:)` and
    /// leaves replacement to `force_new`.
    func planObject(type: String, desired: [String: Value], prior: [String: Value]?, context: ProviderContext) async throws -> PlannedObject

    /// Brings attributes recorded under schema version `version` up to the type's current version. The default
    /// returns them unchanged when the versions agree and refuses anything else.
    func upgrade(type: String, attributes: [String: Value], from version: Int, context: ProviderContext) async throws -> [String: Value]

    /// Updates like `update(type:id:current:desired:context:)` and returns the object with its new private data.
    /// The default calls `update` and keeps the private data the context carried.
    func updateObject(type: String, id: String, current: [String: Value], desired: [String: Value],
                      context: ProviderContext) async throws -> CreatedObject

    /// Reads an object that exists outside tend by its id, with no prior state (`tend import`); nil when there is
    /// none. The default asks `observe(type:id:prior:context:)` with an empty prior.
    func importObject(type: String, id: String, context: ProviderContext) async throws -> [String: Value]?

    /// Imports like `importObject(type:id:context:)`, with the private data the provider wants kept with the object.
    /// The default wraps `importObject` with none.
    func importedObject(type: String, id: String, context: ProviderContext) async throws -> CreatedObject?

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

    /// The same bulk read, for objects in order: each object's attributes, in the same order (nil for one that is
    /// gone), or nil when the type cannot read in bulk. Nothing is keyed by id on the way, which for a bulk read of
    /// many cheap objects (local files) costs as much as the reads. The default asks `observe(type:priors:context:)`.
    func observe(type: String, objects: [BulkObject], context: ProviderContext) async throws -> [[String: Value]?]?

    /// Updates the object in place and returns every attribute afterwards.
    func update(type: String, id: String, current: [String: Value], desired: [String: Value], context: ProviderContext) async throws -> [String: Value]

    /// Deletes the object; succeeds when it is already gone.
    func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws

    /// Finds an object a crashed create may have left behind; nil when there is none. The default finds nothing.
    func recover(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject?

    /// Finds an object a create whose outcome is unknown may have made, other than the objects `excluding` names (the
    /// object a create_before_destroy replacement replaces carries the same address). The default asks
    /// `recover(type:address:desired:context:)` and, when that finds an excluded object, throws: the replacement
    /// cannot be told apart from what it replaces.
    func recover(type: String, address: ResourceAddress, desired: [String: Value], excluding ids: Set<String>,
                 context: ProviderContext) async throws -> CreatedObject?

    /// Ids of every existing object of the type, or nil when the type cannot be listed. The default is nil.
    func list(type: String, context: ProviderContext) async throws -> [String]?

    /// Every object of the type, each marked when the cloud made it by itself (a default VPC and its default
    /// subnets, every VPC's default security group): drift counts those apart instead of calling them unmanaged.
    /// nil when the type cannot list. The default marks nothing, from `list(type:context:)`.
    func listObjects(type: String, context: ProviderContext) async throws -> [ListedObject]?

    /// The schema of one data source type (read-only: its required and optional attributes are what a `data:`
    /// entry sets, its computed ones what the read returns), if the provider has it. The default is nil.
    func dataSchema(for type: String) -> ResourceSchema?

    /// The name of every data source type it serves, for suggestions. The default is none.
    var dataTypeNames: [String] { get }

    /// Reads a data source: `config` holds the declared attributes (every value known); the result holds every
    /// attribute, computed ones filled in. Reads have no side effects and are repeated every run; nothing of them is
    /// kept in state. The default throws `ProviderError` with code `.unknownType`.
    func readData(type: String, config: [String: Value], context: ProviderContext) async throws -> [String: Value]

    /// Counters of the work done so far, by name (`http_requests`: requests sent, retries included), for
    /// `--verbose` and benchmarks. The default is empty.
    func statistics() async -> [String: Int]
}

/// One object a provider listed.
public struct ListedObject: Sendable, Hashable {
    public var id: String
    /// Made by the cloud itself, not by anyone's request: a default VPC, a default subnet, a VPC's default security
    /// group (driftctl's "default resources").
    public var isDefault: Bool

    public init(id: String, isDefault: Bool = false) {
        self.id = id
        self.isDefault = isDefault
    }
}

/// A provider's plan of one object.
public struct PlannedObject: Sendable, Hashable {
    /// Every planned attribute; those known only after apply are absent or `.unknown`.
    public var attributes: [String: Value]
    /// Paths whose change forces replacement, beyond the schema's `force_new` attributes.
    public var requiresReplace: [AttributePath]
    /// Opaque data apply hands to the create or update that carries out this plan; nil for none.
    public var privateData: String?

    /// Creates a planned object.
    public init(attributes: [String: Value], requiresReplace: [AttributePath] = [], privateData: String? = nil) {
        self.attributes = attributes
        self.requiresReplace = requiresReplace
        self.privateData = privateData
    }
}

extension ResourceProvider {
    /// No checked settings.
    public var settingsSchema: [String: AttributeSchema] { [:] }

    /// The static schemas.
    public func fetchSchemas() async throws -> [ResourceSchema] { schemas }

    /// Nothing to configure.
    public func configure(context: ProviderContext) async throws {}

    /// Nothing to stop.
    public func stop() async {}

    /// Plans with `plan(type:desired:prior:context:)`; replacement follows `force_new`.
    public func planObject(type: String, desired: [String: Value], prior: [String: Value]?,
                           context: ProviderContext) async throws -> PlannedObject {
        PlannedObject(attributes: try await plan(type: type, desired: desired, prior: prior, context: context))
    }

    /// Unchanged when `version` is the current one; refused otherwise.
    public func upgrade(type: String, attributes: [String: Value], from version: Int,
                        context: ProviderContext) async throws -> [String: Value] {
        let current = schema(for: type)?.version ?? version
        guard version == current else {
            throw ProviderError(.failed, "\(type): state was recorded under schema version \(version), and \(name) cannot "
                                + "upgrade it to version \(current)")
        }
        return attributes
    }

    /// Updates, keeping the context's private data.
    public func updateObject(type: String, id: String, current: [String: Value], desired: [String: Value],
                             context: ProviderContext) async throws -> CreatedObject {
        CreatedObject(id: id, attributes: try await update(type: type, id: id, current: current, desired: desired, context: context),
                      privateData: context.privateData)
    }

    /// Observes with no prior.
    public func importObject(type: String, id: String, context: ProviderContext) async throws -> [String: Value]? {
        try await observe(type: type, id: id, prior: [:], context: context)
    }

    /// `importObject` with no private data.
    public func importedObject(type: String, id: String, context: ProviderContext) async throws -> CreatedObject? {
        try await importObject(type: type, id: id, context: context).map { CreatedObject(id: id, attributes: $0) }
    }

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

    /// Asks `observe(type:priors:context:)` with the objects by id (the first of a repeated id), and puts its
    /// answer back in order.
    public func observe(type: String, objects: [BulkObject], context: ProviderContext) async throws -> [[String: Value]?]? {
        let priors = Dictionary(objects.map { ($0.id, $0.prior) }, uniquingKeysWith: { first, _ in first })
        guard let found = try await observe(type: type, priors: priors, context: context) else { return nil }
        return objects.map { found[$0.id] }
    }

    /// Finds nothing.
    public func recover(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject? {
        nil
    }

    /// Asks `recover(type:address:desired:context:)`; an excluded object found is an error.
    public func recover(type: String, address: ResourceAddress, desired: [String: Value], excluding ids: Set<String>,
                        context: ProviderContext) async throws -> CreatedObject? {
        var scoped = context
        scoped.replacing.formUnion(ids)
        let found = try await recover(type: type, address: address, desired: desired, context: scoped)
        guard let found, ids.contains(found.id) else { return found }
        throw ProviderError(.conflict, "\(address): the object found (\(found.id)) is the one being replaced; "
                            + "\(name) cannot tell the replacement apart from it")
    }

    /// Cannot list.
    public func list(type: String, context: ProviderContext) async throws -> [String]? {
        nil
    }

    /// The objects `list(type:context:)` names, none marked as the cloud's own.
    public func listObjects(type: String, context: ProviderContext) async throws -> [ListedObject]? {
        try await list(type: type, context: context)?.map { ListedObject(id: $0) }
    }

    /// No data sources.
    public func dataSchema(for type: String) -> ResourceSchema? { nil }

    /// No data sources.
    public var dataTypeNames: [String] { [] }

    /// Refuses: the provider has no data sources.
    public func readData(type: String, config: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        throw ProviderError(.unknownType, "provider \(name) has no data source \(type)")
    }

    /// Counts nothing.
    public func statistics() async -> [String: Int] {
        [:]
    }

    /// The schema of one type, if the provider has it.
    public func schema(for type: String) -> ResourceSchema? {
        schemas.first { $0.type == type }
    }

    /// The types of `schemas`.
    public var typeNames: [String] { schemas.map(\.type) }

    /// Lists its schemas.
    public var servesSchemasOnDemand: Bool { false }

    /// Plans known values only.
    public var plansUnknownValues: Bool { false }

    /// Creates are safe to retry.
    public var createIsRetrySafe: Bool { true }
}

/// One object of a bulk read: its id and its last recorded attributes.
public struct BulkObject: Sendable {
    public var id: String
    public var prior: [String: Value]

    public init(id: String, prior: [String: Value]) {
        self.id = id
        self.prior = prior
    }
}
