import Foundation
import TendModel
import TendPlugin

/// A plugin's schema and tend's view of each of its types and data sources, converted on first use: a provider with 1,500 types
/// pays only for the ones a configuration uses.
final class PluginCatalog: @unchecked Sendable {
    /// The plugin's schemas, each type's decoded on first use.
    let schema: PluginSchemaIndex
    /// The protocol version the schema was read with.
    let protocolVersion: Int
    /// Whether the provider wants PlanResourceChange before a destroy.
    let plansDestroy: Bool
    private let lock = NSLock()
    private var converted: [String: ResourceSchema] = [:]
    private var all: [ResourceSchema]?
    private var convertedData: [String: ResourceSchema] = [:]

    init(schema: PluginSchemaIndex, protocolVersion: Int) {
        self.schema = schema
        self.protocolVersion = protocolVersion
        self.plansDestroy = schema.plansDestroy
    }

    /// tend's schema of one managed type.
    func resourceSchema(_ type: String) -> ResourceSchema? {
        if let done = lock.withLock({ converted[type] }) { return done }
        guard let plugin = schema.resources[type] else { return nil }
        let view = plugin.resourceSchema(type: type)
        lock.withLock { converted[type] = view }
        return view
    }

    /// tend's schema of one data source type.
    func dataSourceSchema(_ type: String) -> ResourceSchema? {
        if let done = lock.withLock({ convertedData[type] }) { return done }
        guard let plugin = schema.dataSources[type] else { return nil }
        let view = plugin.resourceSchema(type: type)
        lock.withLock { convertedData[type] = view }
        return view
    }

    /// Every managed type, sorted by name.
    var resourceSchemas: [ResourceSchema] {
        if let all = lock.withLock({ all }) { return all }
        let every = schema.resources.keys.sorted().compactMap { resourceSchema($0) }
        lock.withLock { all = every }
        return every
    }
}
