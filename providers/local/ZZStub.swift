import ProviderKit
import TendModel
public struct LocalProvider: ResourceProvider {
    public init() {}
    public var name: String { "local" }
    public var schemas: [ResourceSchema] { [] }
    public func observe(type: String, id: String, prior: [String: Value], context: ProviderContext) async throws -> [String: Value]? { nil }
    public func create(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject { CreatedObject(id: "", attributes: [:]) }
    public func update(type: String, id: String, current: [String: Value], desired: [String: Value], context: ProviderContext) async throws -> [String: Value] { [:] }
    public func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws {}
}
