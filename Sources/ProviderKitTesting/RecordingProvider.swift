import ProviderKit
import TendModel

/// Wraps a provider and records every call made to it, in the order the calls started.
public actor RecordingProvider: ResourceProvider {
    /// The wrapped provider.
    public nonisolated let wrapped: any ResourceProvider
    /// The wrapped provider's name.
    public nonisolated var name: String { wrapped.name }
    /// The wrapped provider's schemas.
    public nonisolated var schemas: [ResourceSchema] { wrapped.schemas }
    /// Every call so far.
    public private(set) var calls: [ProviderCall] = []
    /// What the context of the last observe of each object id declared for it (`ProviderContext.declaredAttributes`);
    /// nil for an observe that was told nothing (read everything).
    public private(set) var observedDeclarations: [String: Set<String>?] = [:]

    /// Wraps `provider`.
    public init(wrapping provider: any ResourceProvider) {
        wrapped = provider
    }

    /// Forgets the calls recorded so far.
    public func reset() {
        calls = []
        observedDeclarations = [:]
    }

    /// The recorded calls of one operation.
    public func calls(of operation: ProviderOperation) -> [ProviderCall] {
        calls.filter { $0.operation == operation }
    }

    /// Records and forwards.
    public func plan(type: String, desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        calls.append(ProviderCall(.plan, type: type))
        return try await wrapped.plan(type: type, desired: desired, context: context)
    }

    /// Records and forwards.
    public func plan(type: String, desired: [String: Value], prior: [String: Value]?, context: ProviderContext) async throws -> [String: Value] {
        calls.append(ProviderCall(.plan, type: type))
        return try await wrapped.plan(type: type, desired: desired, prior: prior, context: context)
    }

    /// Records and forwards.
    public func observe(type: String, id: String, prior: [String: Value], context: ProviderContext) async throws -> [String: Value]? {
        calls.append(ProviderCall(.observe, type: type, id: id))
        observedDeclarations.updateValue(context.declaredAttributes?[id], forKey: id)
        return try await wrapped.observe(type: type, id: id, prior: prior, context: context)
    }

    /// Records and forwards.
    public func create(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject {
        calls.append(ProviderCall(.create, type: type, address: address))
        return try await wrapped.create(type: type, address: address, desired: desired, context: context)
    }

    /// Records and forwards.
    public func update(type: String, id: String, current: [String: Value], desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        calls.append(ProviderCall(.update, type: type, id: id))
        return try await wrapped.update(type: type, id: id, current: current, desired: desired, context: context)
    }

    /// Records and forwards.
    public func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws {
        calls.append(ProviderCall(.delete, type: type, id: id))
        try await wrapped.delete(type: type, id: id, current: current, context: context)
    }

    /// Records and forwards.
    public func recover(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject? {
        calls.append(ProviderCall(.recover, type: type, address: address))
        return try await wrapped.recover(type: type, address: address, desired: desired, context: context)
    }

    /// Records and forwards.
    public func list(type: String, context: ProviderContext) async throws -> [String]? {
        calls.append(ProviderCall(.list, type: type))
        return try await wrapped.list(type: type, context: context)
    }
}
