import ProviderKit
import TendModel

/// Knobs for tests: injected failures, out-of-band changes, inspection.
extension InMemoryProvider {
    /// Makes creates of `type` at `address` fail.
    public func failCreate(type: String = "mem_thing", address: ResourceAddress, with failure: InjectedFailure) {
        failures[.create(type: type, address: address)] = failure
    }

    /// Makes recovery lookups of `type` at `address` fail.
    public func failRecover(type: String = "mem_thing", address: ResourceAddress, with failure: InjectedFailure) {
        failures[.recover(type: type, address: address)] = failure
    }

    /// Makes the next `times` creates at `address` create the object and then fail with a transient error, as if
    /// the response was lost on the way back.
    public func loseCreateAnswers(address: ResourceAddress, times: Int = 1) {
        lostAnswers[address] = times
    }

    /// Whether a create at an address that already has an object returns it (the default) or makes another one,
    /// as most cloud APIs do.
    public func setCreatesAreIdempotent(_ idempotent: Bool) {
        createsAreIdempotent = idempotent
    }

    /// How many stored objects of `type` were created at `address`.
    public func objectCount(type: String = "mem_thing", address: ResourceAddress) -> Int {
        objects.values.filter { $0.type == type && $0.address == address }.count
    }

    /// Makes updates of `id` fail.
    public func failUpdate(id: String, with failure: InjectedFailure) {
        failures[.byID(.update, id: id)] = failure
    }

    /// Makes deletes of `id` fail.
    public func failDelete(id: String, with failure: InjectedFailure) {
        failures[.byID(.delete, id: id)] = failure
    }

    /// Makes observes of `id` fail.
    public func failObserve(id: String, with failure: InjectedFailure) {
        failures[.byID(.observe, id: id)] = failure
    }

    /// Makes reads of data source `type` fail.
    public func failReadData(type: String, with failure: InjectedFailure) {
        failures[.readData(type: type)] = failure
    }

    /// Removes every injected failure.
    public func clearFailures() {
        failures = [:]
    }

    /// Changes one attribute of a stored object behind the engine's back; nil removes it.
    public func mutate(id: String, attribute: String, value: Value?) {
        objects[id]?.attributes[attribute] = value
    }

    /// Deletes a stored object behind the engine's back.
    public func removeObject(id: String) {
        guard let object = objects.removeValue(forKey: id), let address = object.address else { return }
        idsByAddress[object.type]?[address] = nil
    }

    /// Adds an object the engine did not create, for unmanaged-resource discovery.
    public func insertObject(type: String, id: String, attributes: [String: Value]) {
        objects[id] = StoredObject(type: type, address: nil, attributes: attributes, revision: 1)
    }

    /// The stored attributes of an object.
    public func object(id: String) -> [String: Value]? {
        objects[id]?.attributes
    }

    /// How many objects are stored, of every type.
    public var objectCount: Int { objects.count }

    /// How many times `operation` was called.
    public func callCount(_ operation: ProviderOperation) -> Int {
        callCounts[operation, default: 0]
    }

    // MARK: - Internals

    func count(_ operation: ProviderOperation) {
        callCounts[operation, default: 0] += 1
    }

    /// Throws the injected failure for `key`, if one is armed, and uses one of its calls up.
    func injectFailure(_ key: FailureKey) throws {
        guard var failure = failures[key] else { return }
        if let remaining = failure.remaining {
            guard remaining > 0 else { return }
            failure.remaining = remaining - 1
            failures[key] = failure
        }
        throw failure.error
    }

    /// Checks attribute names, required ones, computed ones and value types.
    func validate(type: String, _ desired: [String: Value]) throws {
        guard let schema = schema(for: type) else {
            throw ProviderError(.unknownType, "\(name) has no type \(type)")
        }
        for key in desired.keys.sorted() {
            guard let attribute = schema.attributes[key] else {
                throw ProviderError(.invalidInput, "\(type): unknown attribute \"\(key)\"")
            }
            if attribute.mode == .computed, desired[key] != .unknown, desired[key] != .null {
                throw ProviderError(.invalidInput, "\(type): \(key) is computed and cannot be set")
            }
            if let value = desired[key], let (path, reason) = attribute.type.mismatch(for: value, at: AttributePath(keys: key)) {
                throw ProviderError(.invalidInput, "\(type): \(path): \(reason)")
            }
        }
        for (key, attribute) in schema.attributes.sorted(by: { $0.key < $1.key }) where attribute.mode == .required {
            if desired[key] == nil || desired[key] == .null {
                throw ProviderError(.invalidInput, "\(type): \(key) is required")
            }
        }
    }

    /// The stored attributes: settable ones from `desired` (defaults filled), computed ones from the provider.
    func attributes(id: String, revision: Int, desired: [String: Value], type: String) -> [String: Value] {
        var out: [String: Value] = [:]
        for (key, attribute) in schema(for: type)?.attributes ?? [:] {
            if attribute.mode == .computed { continue }
            if let value = desired[key], value != .null {
                out[key] = attribute.type.typed(attribute.type.coerce(value))
            } else if let fallback = attribute.defaultValue {
                out[key] = fallback
            }
        }
        if schema(for: type)?.attributes["id_attr"] != nil { out["id_attr"] = .string(id) }
        if schema(for: type)?.attributes["revision"] != nil { out["revision"] = .number(Number(revision)) }
        return out
    }
}
