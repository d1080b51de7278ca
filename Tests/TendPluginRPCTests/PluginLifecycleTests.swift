import Foundation
import ProviderKit
import Testing
import TendModel
@testable import TendPluginRPC

/// A real plugin process (the Python test provider) through tend's adapter: the handshake, the schema, every call
/// of a resource's life, in both protocol versions.
@Suite(.serialized) struct PluginLifecycleTests {
    @Test(arguments: [5, 6])
    func createsReadsUpdatesReplacesAndDeletesAnItem(protocolVersion: Int) async throws {
        let fixture = try PluginFixture(protocolVersion: protocolVersion)
        let provider = try await fixture.start()
        defer { Task { await provider.stop() } }
        #expect(provider.protocolVersion == protocolVersion)
        let schema = try #require(provider.schema(for: "tendtest_item"))
        #expect(schema.attributes["name"]?.mode == .required)
        #expect(schema.attributes["id"]?.mode == .computed)
        #expect(schema.attributes["secret"]?.sensitive == true)
        #expect(schema.attributes["tags"]?.type == .set(.string))

        let desired: [String: Value] = ["name": .string("alpha"), "content": .string("hello"),
                                        "tags": .set(of: [.string("b"), .string("a")]),
                                        "rule": .set(of: [.map(["port": .number(Number(443))])])]
        let planned = try await provider.planObject(type: "tendtest_item", desired: desired, prior: nil, context: fixture.context)
        #expect(planned.attributes["id"] == .unknown)
        #expect(planned.attributes["digest"] == .unknown)
        #expect(planned.attributes["size"] == .number(Number(1)))
        #expect(planned.privateData != nil)

        var context = fixture.context
        context.privateData = planned.privateData
        let created = try await provider.create(type: "tendtest_item", address: ResourceAddress(name: "alpha"),
                                                desired: desired, context: context)
        #expect(created.id.hasPrefix("item-"))
        #expect(try fixture.storedIDs() == [created.id])
        #expect(created.attributes["digest"]?.stringValue?.count == 64)
        #expect(created.attributes["rule"] == .set(of: [.map(["port": .number(Number(443)), "protocol": .string("tcp")])]))

        context.privateData = created.privateData
        let read = try #require(try await provider.observe(type: "tendtest_item", id: created.id, prior: created.attributes,
                                                           context: context))
        #expect(read == created.attributes)

        // Unchanged: the plan is the state. A new name: replacement, by the provider's word.
        let same = try await provider.planObject(type: "tendtest_item", desired: desired, prior: created.attributes, context: context)
        #expect(same.attributes == created.attributes)
        #expect(same.requiresReplace.isEmpty)
        var renamed = desired
        renamed["name"] = .string("beta")
        let replacing = try await provider.planObject(type: "tendtest_item", desired: renamed, prior: created.attributes,
                                                      context: context)
        #expect(replacing.requiresReplace == [AttributePath(keys: "name")])

        var resized = desired
        resized["size"] = .number(Number(5))
        let updated = try await provider.updateObject(type: "tendtest_item", id: created.id, current: created.attributes,
                                                      desired: resized, context: context)
        #expect(updated.attributes["size"] == .number(Number(5)))
        #expect(updated.attributes["created_at"] == created.attributes["created_at"])

        context.privateData = updated.privateData
        try await provider.delete(type: "tendtest_item", id: created.id, current: updated.attributes, context: context)
        #expect(try fixture.storedIDs().isEmpty)
        let gone = try await provider.observe(type: "tendtest_item", id: created.id, prior: updated.attributes, context: context)
        #expect(gone == nil)
    }

    @Test func aWarmStartReadsTheSchemaFromTheCache() async throws {
        let fixture = try PluginFixture(protocolVersion: 5)
        let first = try await PluginProvider.start(fixture.launch, log: fixture.log)
        #expect(await first.statistics()["plugin_getSchema"] == 1)
        await first.stop()
        let second = try await PluginProvider.start(fixture.launch, log: fixture.log)
        #expect(await second.statistics()["plugin_getSchema"] == nil)
        #expect(second.schema(for: "tendtest_item") != nil)
        await second.stop()
    }

    @Test func diagnosticsNameTheAttributeTheyAreAbout() async throws {
        let fixture = try PluginFixture(protocolVersion: 6)
        let provider = try await fixture.start()
        defer { Task { await provider.stop() } }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await provider.planObject(type: "tendtest_item", desired: ["name": .string("x"), "size": .number(Number(-1))],
                                              prior: nil, context: fixture.context)
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("size") == true)
    }

    @Test func aMissingStoreIsRefusedAtConfigure() async throws {
        let fixture = try PluginFixture(protocolVersion: 5)
        let provider = try await PluginProvider.start(fixture.launch, log: fixture.log)
        defer { Task { await provider.stop() } }
        let context = ProviderContext(baseDirectory: fixture.root.path, stack: "test", configuration: ["config": .map([:])])
        let error = await #expect(throws: ProviderError.self) { try await provider.configure(context: context) }
        #expect(error?.message.contains("store") == true)
    }

    @Test func importsAnExistingItemByID() async throws {
        let fixture = try PluginFixture(protocolVersion: 5)
        let provider = try await fixture.start()
        defer { Task { await provider.stop() } }
        let created = try await provider.create(type: "tendtest_item", address: ResourceAddress(name: "a"),
                                                desired: ["name": .string("a"), "content": .string("x")], context: fixture.context)
        let imported = try #require(try await provider.importObject(type: "tendtest_item", id: created.id, context: fixture.context))
        #expect(imported["name"] == .string("a"))
        #expect(imported["digest"] == created.attributes["digest"])
        // An id with no object behind it: the provider's passthrough import, then a read that finds nothing.
        let missing = try await provider.importObject(type: "tendtest_item", id: "item-nope", context: fixture.context)
        #expect(missing == nil)
    }

    @Test func upgradesStateRecordedUnderAnOlderSchemaVersion() async throws {
        let fixture = try PluginFixture(protocolVersion: 6)
        let provider = try await fixture.start()
        defer { Task { await provider.stop() } }
        let upgraded = try await provider.upgrade(type: "tendtest_item",
                                                  attributes: ["id": .string("item-1"), "title": .string("old"), "size": .number(Number(2))],
                                                  from: 1, context: fixture.context)
        #expect(upgraded["name"] == .string("old"))
        #expect(upgraded["title"] == nil)
        #expect(upgraded["size"] == .number(Number(2)))
    }

    @Test func stopEndsTheProcess() async throws {
        let fixture = try PluginFixture(protocolVersion: 5)
        let provider = try await fixture.start()
        let pid = try #require(await provider.connection.processID)
        await provider.stop()
        #expect(kill(pid, 0) != 0)
    }
}
