import Foundation
import ProviderKit
import TendModel
import TendPlugin

/// Data sources: ValidateDataResourceConfig, then ReadDataSource.
extension PluginProvider {
    /// tend's view of a data source type's schema, converted on first use.
    public func dataSchema(for type: String) -> ResourceSchema? { catalog.dataSourceSchema(type) }

    /// Every data source type the plugin serves, sorted.
    public var dataTypeNames: [String] { catalog.schema.dataSources.keys.sorted() }

    /// Validates the configuration with the plugin, then reads the data source; the result holds every attribute
    /// the plugin returned that is not null.
    public func readData(type: String, config: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let schema = try dataSourceBlock(type)
        let block = schema.block
        let encoded = try encode(block.conform(config), block: block, what: "the configuration of data source \(type)")

        var validate = Tfplugin5_ValidateDataSourceConfig.Request()
        validate.typeName = type
        validate.config = Tfplugin5_DynamicValue(msgpack: encoded)
        let validated: Tfplugin5_ValidateDataSourceConfig.Response = try await call(.validateDataSourceConfig, validate,
                                                                                   about: "validating data source \(type)")
        try check(validated.diagnostics, about: "invalid data source \(type)", code: .invalidInput)

        var request = Tfplugin5_ReadDataSource.Request()
        request.typeName = type
        request.config = Tfplugin5_DynamicValue(msgpack: encoded)
        let reply: Tfplugin5_ReadDataSource.Response = try await call(.readDataSource, request, about: "reading data source \(type)")
        try check(reply.diagnostics, about: "reading data source \(type)")
        if reply.hasDeferred {
            throw ProviderError(.failed, "provider \(name) deferred reading data source \(type) (reason "
                                + "\(reply.deferred.reason.rawValue)); tend does not defer reads")
        }
        let state = try decode(reply.state, block: block, what: "the result of data source \(type)")
        guard let attributes = PluginProvider.attributes(of: state) else {
            throw ProviderError(.failed, "provider \(name) returned nothing for data source \(type)", remoteCode: "plugin_garbage")
        }
        if let unknown = attributes.keys.sorted().first(where: { attributes[$0]?.containsUnknown == true }) {
            throw ProviderError(.failed, "provider \(name) returned an unknown value of \"\(unknown)\" for data source \(type)",
                                remoteCode: "plugin_garbage")
        }
        return attributes
    }

    /// The schema of a data source type, or an error naming it.
    func dataSourceBlock(_ type: String) throws -> PluginSchema {
        guard let schema = catalog.schema.dataSources[type] else {
            throw ProviderError(.unknownType, "provider \(name) (\(source)) has no data source \(type)")
        }
        return schema
    }
}
