import Foundation
import TendModel
import TendPlugin
import Testing

/// Plugin schemas give the object type the protocol speaks, tend's view of the resource type, the sensitive
/// paths, and the full objects to send.
@Suite struct PluginSchemaTests {
    typealias F = PluginSchemaFixtures

    static let ruleType = CtyType.object(["port": .number, "cidrs": .set(.string), "rule_id": .string, "token": .string])
    static let loginType = CtyType.object(["user": .string, "password": .string, "expires": .string])

    @Test func impliedTypeCoversAttributesNestedAttributesAndEveryBlockNesting() {
        #expect(F.block.impliedType == .object([
            "name": .string, "id": .string, "arn": .string, "description": .string, "tags": .map(.string),
            "secret": .string, "extra": .dynamic, "login": Self.loginType, "users": .map(Self.loginType),
            "ingress": .set(Self.ruleType), "egress": .list(Self.ruleType), "timeouts": .object(["create": .string]),
            "settings": .object(["level": .number, "inner": .list(.object(["on": .bool]))]),
            "named": .map(.object(["value": .string])),
        ]))
        #expect(PluginNestedObject(attributes: [PluginAttribute(name: "a", type: .bool)], nesting: .list).impliedType
            == .list(.object(["a": .bool])))
        #expect(PluginNestedObject(attributes: [], nesting: .set).impliedType == .set(.object([:])))
    }

    @Test func resourceSchemaMapsModesTypesAndSensitivity() {
        let schema = F.schema.resourceSchema(type: "test_group")
        #expect(schema.type == "test_group")
        #expect(schema.version == 3)
        #expect(schema.description == "A group.")
        #expect(schema.attributes["name"] == AttributeSchema(.string, .required, description: "The name."))
        #expect(schema.attributes["id"] == AttributeSchema(.string, .computed))
        #expect(schema.attributes["description"] == AttributeSchema(.string, .optionalComputed))
        #expect(schema.attributes["tags"] == AttributeSchema(.map(.string), .optional))
        #expect(schema.attributes["secret"] == AttributeSchema(.string, .optional, sensitive: true))
        #expect(schema.attributes["extra"]?.type == .any)
        // Holding a sensitive attribute anywhere inside makes the top-level attribute sensitive as a whole.
        #expect(schema.attributes["login"] == AttributeSchema(.object(["user": .string, "password": .string,
                                                                       "expires": .string]), .optional, sensitive: true))
        let rule = AttributeType.object(["port": .number, "cidrs": .set(.string), "rule_id": .string, "token": .string])
        #expect(schema.attributes["ingress"] == AttributeSchema(.set(rule), .optional, sensitive: true))
        #expect(schema.attributes["egress"] == AttributeSchema(.list(rule), .required, sensitive: true))
        #expect(schema.attributes["timeouts"]?.sensitive == false)
        #expect(schema.attributes["timeouts"]?.type == .object(["create": .string]))
        #expect(schema.attributes["named"]?.type == .map(.object(["value": .string])))
        #expect(schema.attributes.values.allSatisfy { !$0.forceNew })
        #expect(schema.attributes.count == F.block.attributes.count + F.block.blockTypes.count)
    }

    @Test func requiredSingleNestedAttributeIsRequired() {
        let block = PluginBlock(attributes: [PluginAttribute(name: "login", nestedType: F.login, isRequired: true)])
        #expect(PluginSchema(block: block).resourceSchema(type: "t").attributes["login"]?.mode == .required)
    }

    @Test func sensitivePathsReachIntoSinglesAndCoverCollectionsWhole() {
        #expect(F.schema.sensitivePaths == [
            AttributePath(keys: "egress"), AttributePath(keys: "ingress"), AttributePath(keys: "login", "password"),
            AttributePath(keys: "secret"), AttributePath(keys: "users"),
        ].sorted())
    }

    @Test func sensitivePathsInAValueNameEachElement() {
        let attributes: [String: Value] = [
            "egress": .list([.map(["port": 1]), .map(["port": 2])]),
            "ingress": .list([.map(["port": 9]), .map(["port": 3])]),
            "users": .map(["bob": .map(["user": "bob"])]),
            "login": .null,
        ]
        #expect(F.schema.sensitivePaths(in: attributes) == [
            AttributePath([.key("egress"), .index(0), .key("token")]), AttributePath([.key("egress"), .index(1), .key("token")]),
            AttributePath([.key("ingress"), .index(0), .key("token")]), AttributePath([.key("ingress"), .index(1), .key("token")]),
            AttributePath(keys: "secret"), AttributePath(keys: "users", "bob", "password"),
        ].sorted())
        // The set's index is its canonical order: port 3 comes first.
        let typed = Value.set(of: attributes["ingress"]?.elements ?? [])
        #expect(typed.value(at: AttributePath([.index(0), .key("port")])) == 3)
    }

    @Test func conformFillsEveryAttributeAndEmptyCollections() throws {
        let conformed = F.block.conform(["name": "web", "login": .map(["user": "u"]),
                                         "egress": .list([.map(["port": 1])])])
        let entries = try #require(conformed.mapValue)
        #expect(Set(entries.keys) == Set(F.block.attributes.map(\.name) + F.block.blockTypes.map(\.typeName)))
        #expect(entries["id"] == .null)
        #expect(entries["login"] == .map(["user": "u", "password": .null, "expires": .null]))
        #expect(entries["users"] == .null)
        #expect(entries["ingress"] == .set(of: []))
        #expect(entries["egress"] == .list([.map(["port": 1, "cidrs": .null, "rule_id": .null, "token": .null])]))
        #expect(entries["timeouts"] == .null)
        #expect(entries["settings"] == .map(["level": .null, "inner": .list([])]))
        #expect(entries["named"] == .map([:]))
        // The conformed object encodes as the implied type, and reads back the same.
        let bytes = try CtyValueCodec.encode(conformed, as: F.block.impliedType)
        #expect(try CtyValueCodec.decode(bytes, as: F.block.impliedType) == conformed)
    }

    @Test func conformMakesSetBlocksSetsAndKeepsUnknownKeysForEncodingToRefuse() {
        let conformed = F.block.conform(["ingress": .list([.map(["port": 2]), .map(["port": 2])]), "nmae": "typo",
                                         "egress": .list([.map(["port": 1, "cidrs": .list(["b", "a", "b"])])])])
        #expect(conformed.mapValue?["ingress"] == .set(of: [.map(["port": 2, "cidrs": .null, "rule_id": .null, "token": .null])]))
        #expect(conformed.mapValue?["egress"]?.elements?.first?.mapValue?["cidrs"] == .set(of: ["a", "b"]))
        #expect(conformed.mapValue?["nmae"] == "typo")
        #expect { try CtyValueCodec.encode(conformed, as: F.block.impliedType) } throws: {
            ($0 as? PluginValueError)?.path == "nmae"
        }
    }

    @Test func providerSchemasRoundTripThroughJSON() throws {
        let schema = PluginProviderSchema(provider: PluginSchema(block: PluginBlock(attributes: [
            PluginAttribute(name: "region", type: .string, isOptional: true),
        ])), resources: ["test_group": F.schema], dataSources: ["test_lookup": PluginSchema(version: 1, block: F.rule)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(schema)
        #expect(try JSONDecoder().decode(PluginProviderSchema.self, from: data) == schema)
        #expect(try encoder.encode(JSONDecoder().decode(PluginProviderSchema.self, from: data)) == data)
    }
}
