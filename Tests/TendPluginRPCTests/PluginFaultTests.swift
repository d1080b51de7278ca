import Foundation
import ProviderKit
import Testing
import TendModel
@testable import TendPluginRPC

/// A provider that crashes, hangs or answers garbage is an error naming the provider and what it was doing, and a
/// create it did not confirm is not reported as done.
@Suite(.serialized) struct PluginFaultTests {
    @Test func aCrashDuringApplyIsAnErrorNamingTheProvider() async throws {
        let fixture = try PluginFixture(protocolVersion: 5, fault: "crash_on_apply")
        let provider = try await fixture.start()
        defer { Task { await provider.stop() } }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await provider.create(type: "tendtest_item", address: ResourceAddress(name: "a"),
                                          desired: ["name": .string("a")], context: fixture.context)
        }
        #expect(error?.message.contains("provider tendtest crashed during ApplyResourceChange") == true)
        #expect(error?.remoteCode == "plugin_crashed")
        // Later calls fail at once with the same cause.
        let again = await #expect(throws: ProviderError.self) {
            _ = try await provider.planObject(type: "tendtest_item", desired: ["name": .string("a")], prior: nil,
                                              context: fixture.context)
        }
        #expect(again?.message.contains("crashed") == true)
    }

    @Test func aHangIsATimeoutNotAWaitForever() async throws {
        // The timeout covers every call, the schema read at start included; 10 s leaves room for a machine busy
        // with the rest of the suite, while a wait forever would still fail the bound below.
        let fixture = try PluginFixture(protocolVersion: 6, fault: "hang_on_apply", timeout: 10)
        let provider = try await fixture.start()
        defer { Task { await provider.stop() } }
        let started = Date()
        let error = await #expect(throws: ProviderError.self) {
            _ = try await provider.create(type: "tendtest_item", address: ResourceAddress(name: "a"),
                                          desired: ["name": .string("a")], context: fixture.context)
        }
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(error?.message.contains("did not answer ApplyResourceChange") == true)
        #expect(error?.remoteCode == "plugin_timeout")
    }

    @Test func garbageIsRefusedWithTheCallNamed() async throws {
        let fixture = try PluginFixture(protocolVersion: 5, fault: "garbage_on_plan")
        let provider = try await fixture.start()
        defer { Task { await provider.stop() } }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await provider.planObject(type: "tendtest_item", desired: ["name": .string("a")], prior: nil,
                                              context: fixture.context)
        }
        #expect(error?.remoteCode == "plugin_garbage")
        #expect(error?.message.contains("planned state") == true)
    }

    @Test func aBinaryThatIsNotAPluginFailsTheHandshake() async throws {
        let fixture = try PluginFixture(protocolVersion: 5)
        var launch = fixture.launch
        launch.executable = "/bin/true"
        launch.schemaCacheDirectory = nil
        let error = await #expect(throws: ProviderError.self) { _ = try await PluginProvider.start(launch, log: fixture.log) }
        #expect(error?.message.contains("exited before its handshake") == true)
    }
}
