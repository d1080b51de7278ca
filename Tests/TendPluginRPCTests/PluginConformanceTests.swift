import ProviderKit
import ProviderKitTesting
import Testing
import TendModel
@testable import TendPluginRPC

/// The provider conformance suite every provider runs, against a plugin (the Python test provider) through the
/// adapter, in both protocol versions.
@Suite(.serialized) struct PluginConformanceTests {
    @Test(arguments: [5, 6])
    func aPluginConforms(protocolVersion: Int) async throws {
        let fixture = try PluginFixture(protocolVersion: protocolVersion)
        let provider = try await PluginProvider.start(fixture.launch, log: fixture.log)
        defer { Task { await provider.stop() } }
        let sample = ConformanceCase(
            type: "tendtest_item", address: ResourceAddress(name: "item"),
            desired: ["name": .string("conform"), "content": .string("one"), "tags": .set(of: [.string("a")])],
            updated: ["name": .string("conform"), "content": .string("two"), "size": .number(Number(3)),
                      "tags": .set(of: [.string("a"), .string("b")])],
            unknownID: "item-000000000000", invalidDesired: ["name": .string("bad"), "size": .number(Number(-1))])
        let failures = await ConformanceSuite(provider: provider, context: fixture.context, cases: [sample]).run()
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }
}
