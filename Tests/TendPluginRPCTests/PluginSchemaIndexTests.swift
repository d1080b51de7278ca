import Foundation
import Testing
import TendPlugin
@testable import TendPluginRPC

/// The schema index reads a GetProviderSchema reply without decoding its types, decodes one when asked, and
/// refuses bytes that are not a protobuf message.
@Suite struct PluginSchemaIndexTests {
    static func reply() throws -> Data {
        var reply = Tfplugin5_GetProviderSchema.Response()
        for name in ["test_a", "test_b"] {
            var attribute = Tfplugin5_Schema.Attribute()
            attribute.name = "name"
            attribute.type = Data("\"string\"".utf8)
            attribute.required = true
            var schema = Tfplugin5_Schema()
            schema.version = name == "test_a" ? 2 : 1
            schema.block.attributes = [attribute]
            reply.resourceSchemas[name] = schema
        }
        reply.dataSourceSchemas["test_echo"] = Tfplugin5_Schema()
        reply.serverCapabilities.planDestroy = true
        return try reply.serializedBytes()
    }

    @Test func indexesTypesAndDecodesOneWhenAsked() throws {
        let index = try PluginSchemaIndex(bytes: try Self.reply(), version: 5)
        #expect(Set(index.resources.keys) == ["test_a", "test_b"])
        #expect(Set(index.dataSources.keys) == ["test_echo"])
        #expect(index.plansDestroy)
        let schema = try #require(index.resources["test_a"])
        #expect(schema.version == 2)
        #expect(schema.block.attributes.map(\.name) == ["name"])
        #expect(index.resources["test_nope"] == nil)
    }

    @Test func refusesBytesThatAreNotAMessage() throws {
        let bytes = try Self.reply()
        for cut in [1, 3, bytes.count / 2, bytes.count - 1] {
            #expect(throws: PluginError.self) { _ = try PluginSchemaIndex(bytes: bytes.prefix(cut), version: 5) }
        }
        #expect(throws: PluginError.self) { _ = try PluginSchemaIndex(bytes: Data([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]), version: 5) }
        #expect(throws: PluginError.self) { _ = try PluginSchemaIndex(bytes: Data([0x0F]), version: 6) }
    }
}
