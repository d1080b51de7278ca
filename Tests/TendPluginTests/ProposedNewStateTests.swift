import TendModel
import TendPlugin
import Testing

/// The proposed new state takes the configuration, keeps prior computed values the configuration leaves unset,
/// and leaves them null where nothing was there before (the plugin marks them unknown, as under Terraform).
@Suite struct ProposedNewStateTests {
    typealias F = PluginSchemaFixtures

    static func rule(_ port: Int64, id: Value = .null, cidrs: Value = .null) -> Value {
        .map(["port": .number(Number(port)), "cidrs": cidrs, "rule_id": id, "token": .null])
    }

    static func proposed(prior: Value?, config: [String: Value]) throws -> [String: Value] {
        try #require(ProposedNewState.proposedNew(schema: F.block, prior: prior, config: .map(config)).mapValue)
    }

    @Test func createLeavesComputedUnsetAttributesNullForThePlugin() throws {
        let new = try Self.proposed(prior: nil, config: ["name": "web", "description": "set by me",
                                                         "egress": .list([.map(["port": 443])]),
                                                         "login": .map(["user": "u", "password": "p"])])
        #expect(new["name"] == "web")
        #expect(new["id"] == .null)
        #expect(new["arn"] == .null)
        #expect(new["description"] == "set by me")
        #expect(new["tags"] == .null)
        #expect(new["egress"] == .list([Self.rule(443, id: .null)]))
        #expect(new["login"] == .map(["user": "u", "password": "p", "expires": .null]))
        #expect(new["ingress"] == .set(of: []))
        #expect(new["timeouts"] == .null)
        #expect(new["settings"] == .map(["level": .null, "inner": .list([])]))
        // A null prior is a create too.
        #expect(try Self.proposed(prior: .null, config: ["name": "web"])["id"] == .null)
    }

    @Test func updateKeepsPriorComputedValuesAndTakesConfiguration() throws {
        let prior = F.block.conform(["name": "old", "id": "sg-1", "arn": "arn:1", "description": "from the plugin",
                                     "tags": .map(["a": "b"]), "egress": .list([Self.rule(443, id: "r-1"), Self.rule(80, id: "r-2")]),
                                     "login": .map(["user": "u", "password": "p", "expires": "tomorrow"]),
                                     "users": .map(["bob": .map(["user": "bob", "password": "x", "expires": "never"])]),
                                     "settings": .map(["level": 3])])
        let new = try Self.proposed(prior: prior, config: [
            "name": "new", "egress": .list([.map(["port": 8443]), .map(["port": 80]), .map(["port": 22])]),
            "login": .map(["user": "u2", "password": "p"]),
            "users": .map(["bob": .map(["user": "bob", "password": "y"]), "eve": .map(["user": "eve", "password": "z"])]),
        ])
        #expect(new["name"] == "new")
        #expect(new["id"] == "sg-1")
        #expect(new["arn"] == "arn:1")
        #expect(new["description"] == "from the plugin")
        // Optional, not computed: unset in the configuration is unset.
        #expect(new["tags"] == .null)
        // Lists by index: the first two have prior elements, the third is new.
        #expect(new["egress"] == .list([Self.rule(8443, id: "r-1"), Self.rule(80, id: "r-2"), Self.rule(22, id: .null)]))
        #expect(new["login"] == .map(["user": "u2", "password": "p", "expires": "tomorrow"]))
        // Maps by key.
        #expect(new["users"] == .map(["bob": .map(["user": "bob", "password": "y", "expires": "never"]),
                                      "eve": .map(["user": "eve", "password": "z", "expires": .null])]))
        #expect(new["settings"] == .map(["level": 3, "inner": .list([])]))
    }

    @Test func setBlocksMatchPriorElementsByTheirNonComputedAttributes() throws {
        let cidrs = Value.set(of: ["10.0.0.0/8"])
        let prior = F.block.conform(["name": "web", "id": "sg-1",
                                     "ingress": .set(of: [Self.rule(22, id: "r-22", cidrs: cidrs), Self.rule(443, id: "r-443")])])
        let new = try Self.proposed(prior: prior, config: [
            "name": "web",
            "ingress": .list([.map(["port": 443]), .map(["port": 22, "cidrs": .list(["10.0.0.0/8"])]),
                              .map(["port": 22, "cidrs": .list(["192.168.0.0/16"])])]),
        ])
        #expect(new["ingress"] == .set(of: [
            Self.rule(443, id: "r-443"), Self.rule(22, id: "r-22", cidrs: cidrs),
            // Changed configuration: a new element, its computed id left to the plugin.
            Self.rule(22, id: .null, cidrs: .set(of: ["192.168.0.0/16"])),
        ]))
    }

    /// Optional+computed attributes do not take part in matching, so two configured elements can match one prior
    /// element; only the first takes it.
    @Test func aPriorSetElementMatchesOnlyOnce() throws {
        let block = PluginBlock(blockTypes: [PluginNestedBlock(typeName: "r", block: PluginBlock(attributes: [
            PluginAttribute(name: "a", type: .string, isOptional: true),
            PluginAttribute(name: "size", type: .string, isOptional: true, isComputed: true),
            PluginAttribute(name: "id", type: .string, isComputed: true),
        ]), nesting: .set)])
        let prior = Value.map(["r": .set(of: [.map(["a": "x", "size": "s", "id": "1"])])])
        let config = Value.map(["r": .list([.map(["a": "x", "size": "s"]), .map(["a": "x", "size": "m"])])])
        let new = ProposedNewState.proposedNew(schema: block, prior: prior, config: config)
        let elements = try #require(new.mapValue?["r"]?.elements)
        #expect(elements.count == 2)
        #expect(elements.filter { $0.mapValue?["id"] == "1" }.count == 1)
        #expect(elements.filter { $0.mapValue?["id"] == .null }.count == 1)
    }

    @Test func unknownAndNullConfigurationsAreKept() throws {
        let prior = F.block.conform(["name": "web", "id": "sg-1", "egress": .list([Self.rule(1, id: "r")])])
        let new = try Self.proposed(prior: prior, config: ["name": .unknown, "egress": .unknown, "login": .null])
        #expect(new["name"] == .unknown)
        #expect(new["egress"] == .unknown)
        #expect(new["login"] == .null)
        #expect(new["id"] == "sg-1")
        // A null configuration proposes the prior object; nothing at all proposes null.
        #expect(ProposedNewState.proposedNew(schema: F.block, prior: prior, config: .null) == prior)
        #expect(ProposedNewState.proposedNew(schema: F.block, prior: nil, config: .null) == .null)
    }

    @Test func theProposalEncodesAsTheImpliedType() throws {
        let new = ProposedNewState.proposedNew(schema: F.block, prior: nil, config: .map([
            "name": "web", "egress": .list([.map(["port": 1])]), "extra": .map(["k": .list([1, "a"])]),
        ]))
        let bytes = try CtyValueCodec.encode(new, as: F.block.impliedType)
        #expect(try CtyValueCodec.decode(bytes, as: F.block.impliedType) == new)
    }
}
