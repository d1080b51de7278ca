import ProviderKit
import TendModel

/// A provider that keeps its objects in memory, for engine tests.
///
/// Creates are idempotent by type and address. Failures can be injected per operation and
/// address or id; objects can be changed or removed behind the engine's back to simulate drift;
/// every call is counted.
public actor InMemoryProvider: ResourceProvider {
    /// The provider's name.
    public nonisolated let name: String
    /// The schemas of the types it manages.
    public nonisolated let schemas: [ResourceSchema]

    struct StoredObject: Sendable {
        var type: String
        var address: ResourceAddress?
        var attributes: [String: Value]
        var revision: Int
    }

    enum FailureKey: Hashable {
        case create(type: String, address: ResourceAddress)
        case recover(type: String, address: ResourceAddress)
        case byID(ProviderOperation, id: String)
        case readData(type: String)
    }

    var objects: [String: StoredObject] = [:]
    var idsByAddress: [String: [ResourceAddress: String]] = [:]
    var failures: [FailureKey: InjectedFailure] = [:]
    var nextSerial = 1
    /// Creates at these addresses that make the object and then fail as if the answer was lost, with how many are left.
    var lostAnswers: [ResourceAddress: Int] = [:]
    /// Whether a create at an address that already has an object returns it (true) or makes another (false).
    var createsAreIdempotent = true
    /// How many times each operation was called, failed calls included.
    public internal(set) var callCounts: [ProviderOperation: Int] = [:]

    /// The schemas of the data sources it serves.
    public nonisolated let dataSchemas: [ResourceSchema]

    /// Creates a provider named `name` managing `schemas` (by default the single type `mem_thing`) and serving the
    /// data sources `dataSchemas` (by default `mem_echo` and `mem_thing_lookup`; see `readData`).
    public init(name: String = "mem", schemas: [ResourceSchema] = [InMemoryProvider.thingSchema],
                dataSchemas: [ResourceSchema] = InMemoryProvider.defaultDataSchemas) {
        self.name = name
        self.schemas = schemas
        self.dataSchemas = dataSchemas
    }

    /// `mem_thing`: `name` (required, force_new), `value`, `tags` (map of strings), `secret`
    /// (sensitive), and the computed `id_attr` (the object's id) and `revision` (1, then +1 per update).
    public static let thingSchema = ResourceSchema(type: "mem_thing", description: "A thing kept in memory.", attributes: [
        "name": AttributeSchema(.string, .required, forceNew: true),
        "value": AttributeSchema(.string, .optional),
        "tags": AttributeSchema(.map(.string), .optional),
        "secret": AttributeSchema(.string, .optional, sensitive: true),
        "id_attr": AttributeSchema(.string, .computed),
        "revision": AttributeSchema(.number, .computed),
    ])

    // MARK: - ResourceProvider

    /// Validates the desired attributes against the schema and returns them unchanged.
    public func plan(type: String, desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        count(.plan)
        try validate(type: type, desired)
        return desired
    }

    /// The stored attributes; nil when no object of that type has the id.
    public func observe(type: String, id: String, prior: [String: Value], context: ProviderContext) async throws -> [String: Value]? {
        count(.observe)
        try injectFailure(.byID(.observe, id: id))
        guard let object = objects[id], object.type == type else { return nil }
        return object.attributes
    }

    /// Creates the object, or returns the one already created under the same type and address.
    public func create(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject {
        count(.create)
        try injectFailure(.create(type: type, address: address))
        try validate(type: type, desired)
        if createsAreIdempotent, let id = idsByAddress[type]?[address], var object = objects[id] {
            object.attributes = attributes(id: id, revision: object.revision, desired: desired, type: type)
            objects[id] = object
            return CreatedObject(id: id, attributes: object.attributes)
        }
        let id = "\(type)-\(nextSerial)"
        nextSerial += 1
        let stored = StoredObject(type: type, address: address, attributes: attributes(id: id, revision: 1, desired: desired, type: type), revision: 1)
        objects[id] = stored
        idsByAddress[type, default: [:]][address] = id
        if let lost = lostAnswers[address], lost > 0 {
            lostAnswers[address] = lost - 1
            throw ProviderError(.transient, "injected lost answer: the object was created, the response never arrived")
        }
        return CreatedObject(id: id, attributes: stored.attributes)
    }

    /// Replaces the settable attributes with `desired` and bumps `revision`.
    public func update(type: String, id: String, current: [String: Value], desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        count(.update)
        try injectFailure(.byID(.update, id: id))
        try validate(type: type, desired)
        guard var object = objects[id], object.type == type else {
            throw ProviderError(.failed, "\(type) \(id) does not exist", remoteCode: "NotFound")
        }
        object.revision += 1
        object.attributes = attributes(id: id, revision: object.revision, desired: desired, type: type)
        objects[id] = object
        return object.attributes
    }

    /// Removes the object; succeeds when it is already gone.
    public func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws {
        count(.delete)
        try injectFailure(.byID(.delete, id: id))
        guard let object = objects[id], object.type == type else { return }
        objects[id] = nil
        if let address = object.address { idsByAddress[type]?[address] = nil }
    }

    /// An object created under the address other than the excluded ones, if any (the newest).
    public func recover(type: String, address: ResourceAddress, desired: [String: Value], excluding ids: Set<String>,
                        context: ProviderContext) async throws -> CreatedObject? {
        count(.recover)
        try injectFailure(.recover(type: type, address: address))
        let candidates = objects.filter { $0.value.type == type && $0.value.address == address && !ids.contains($0.key) }
        guard let (id, object) = candidates.max(by: { Self.serial(of: $0.key) < Self.serial(of: $1.key) }) else { return nil }
        return CreatedObject(id: id, attributes: object.attributes)
    }

    static func serial(of id: String) -> Int {
        Int(id.split(separator: "-").last ?? "") ?? 0
    }

    /// The object created under the address, if any.
    public func recover(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject? {
        count(.recover)
        try injectFailure(.recover(type: type, address: address))
        guard let id = idsByAddress[type]?[address], let object = objects[id] else { return nil }
        return CreatedObject(id: id, attributes: object.attributes)
    }

    /// The ids of every object of the type, sorted.
    public func list(type: String, context: ProviderContext) async throws -> [String]? {
        count(.list)
        guard schema(for: type) != nil else { throw ProviderError(.unknownType, "\(name) has no type \(type)") }
        return objects.filter { $0.value.type == type }.keys.sorted()
    }
}
