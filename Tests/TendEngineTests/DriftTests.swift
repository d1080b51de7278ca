import Foundation
import ProviderKit
import ProviderKitTesting
import TendConfig
import TendEngine
import TendModel
import TendState
import Testing

/// Drift detection, its lifecycle across runs, policies and remediation, against the in-memory provider.
@Suite struct DriftTests {
    let provider = InMemoryProvider()
    let store = InMemoryStateStore()
    let settings = PlanSettings(directory: "/nonexistent", stack: "test", providers: [:])

    var engine: Engine {
        Engine(registry: ProviderRegistry([provider]), store: store, clock: { Date(timeIntervalSince1970: 1_800_000_000) },
               retry: .none)
    }

    func spec(_ name: String, policy: DriftPolicy = .report, secret: String? = nil) -> ResourceSpec {
        var properties: [String: TendModel.Expression] = ["name": .literal(.string(name)), "value": .literal(.string("v"))]
        if let secret { properties["secret"] = .literal(.string(secret)) }
        return ResourceSpec(address: ResourceAddress(name: name), type: "mem_thing", provider: "mem", properties: properties,
                            options: ResourceOptions(drift: policy))
    }

    func applied(_ specs: [ResourceSpec]) async throws -> [String: String] {
        _ = try await engine.apply(try await engine.plan(specs: specs, settings: settings), settings: settings)
        return try store.resources().reduce(into: [:]) { $0[$1.address.name] = $1.id }
    }

    @Test func findsExactlyTheInjectedDriftAndNothingElse() async throws {
        let specs = [spec("a"), spec("b"), spec("c"), spec("d", secret: "hunter2")]
        let ids = try await applied(specs)
        #expect(try await engine.detectDrift(specs: specs, settings: settings, ignore: IgnoreRules()).findings.isEmpty)

        await provider.mutate(id: ids["a"] ?? "", attribute: "value", value: .string("edited"))
        await provider.removeObject(id: ids["b"] ?? "")
        await provider.mutate(id: ids["d"] ?? "", attribute: "secret", value: .string("stolen"))
        await provider.insertObject(type: "mem_thing", id: "stray-1", attributes: ["name": .string("stray")])

        let scan = try await engine.detectDrift(specs: specs, settings: settings, ignore: IgnoreRules())
        let summary = scan.findings.map { "\($0.kind.rawValue) \($0.address) \($0.path)" }.sorted()
        #expect(summary == ["changed a value", "changed d secret", "missing b ", "unmanaged mem_thing:stray-1 "])
        #expect(scan.managedCount == 4)
        #expect(scan.changedCount == 2)
        #expect(scan.missingCount == 1)
        #expect(abs(scan.coverage - 80) < 0.001)
        let secret = try #require(scan.findings.first { $0.path == "secret" })
        #expect(secret.expected == .string("(sensitive)") && secret.actual == .string("(sensitive)"))
        #expect(!"\(scan.findings)".contains("hunter2") && !"\(scan.findings)".contains("stolen"))
        #expect(await provider.callCount(.create) == 4, "drift never creates")
        #expect(await provider.callCount(.update) == 0)
        #expect(await provider.callCount(.delete) == 0)
    }

    @Test func findingsKeepTheirIdentityAcrossRunsAndResolve() async throws {
        let specs = [spec("a"), spec("b")]
        let ids = try await applied(specs)
        await provider.mutate(id: ids["a"] ?? "", attribute: "value", value: .string("edited"))
        let first = try await engine.record(try await engine.detectDrift(specs: specs, settings: settings, ignore: IgnoreRules()))
        #expect(first.recording.opened.count == 1)
        let second = try await engine.record(try await engine.detectDrift(specs: specs, settings: settings, ignore: IgnoreRules()))
        #expect(second.recording.opened.isEmpty)
        #expect(second.recording.stillOpen.map(\.id) == first.recording.opened.map(\.id), "the same finding, not a new one")

        await provider.mutate(id: ids["a"] ?? "", attribute: "value", value: .string("v"))
        let third = try await engine.record(try await engine.detectDrift(specs: specs, settings: settings, ignore: IgnoreRules()))
        #expect(third.recording.resolved.map(\.resolution) == [.reverted])
        let history = try store.driftFindings(address: "a", since: nil)
        #expect(history.count == 1)
        #expect(history.first?.resolution == .reverted)
        #expect(try store.driftSightings(since: nil).filter { $0.findingID == history.first?.id }.count == 2)
    }

    @Test func remediationFixesOnlyRemediatePolicyAndIgnoreHidesDrift() async throws {
        let specs = [spec("fix", policy: .remediate), spec("report"), spec("quiet", policy: .ignore)]
        let ids = try await applied(specs)
        for name in ["fix", "report", "quiet"] {
            await provider.mutate(id: ids[name] ?? "", attribute: "value", value: .string("edited"))
        }
        let scan = try await engine.detectDrift(specs: specs, settings: settings, ignore: IgnoreRules())
        #expect(Set(scan.drift.map(\.address.name)) == ["fix", "report"])
        _ = try await engine.record(scan)
        let result = try #require(try await engine.remediate(scan, specs: specs, settings: settings))
        #expect(Array(result.succeeded.keys) == [ResourceAddress(name: "fix")])
        #expect(await provider.object(id: ids["fix"] ?? "")?["value"] == .string("v"))
        #expect(await provider.object(id: ids["report"] ?? "")?["value"] == .string("edited"))
        #expect(try store.driftFindings(address: "fix", since: nil).map(\.resolution) == [.remediated])
        #expect(try store.driftFindings(address: "report", since: nil).allSatisfy(\.isOpen))
    }

    @Test func ignoreRulesFilterUnmanagedAndAttributes() async throws {
        let specs = [spec("a"), spec("b")]
        let ids = try await applied(specs)
        await provider.mutate(id: ids["a"] ?? "", attribute: "value", value: .string("edited"))
        await provider.mutate(id: ids["b"] ?? "", attribute: "value", value: .string("edited"))
        await provider.insertObject(type: "mem_thing", id: "legacy-1", attributes: [:])
        await provider.insertObject(type: "mem_thing", id: "legacy-keep", attributes: [:])
        let (rules, problems) = IgnoreRules.parse("""
            # ignore legacy objects, but not the one we care about
            id:legacy-*
            !id:legacy-keep
            attribute:a:value
            """, file: ".tendignore")
        #expect(problems.isEmpty)
        let scan = try await engine.detectDrift(specs: specs, settings: settings, ignore: rules)
        #expect(scan.findings.map(\.address).sorted() == ["b", "mem_thing:legacy-keep"])
    }

    @Test func acceptRecordsWhatExistsAndFlagsTheManifest() async throws {
        let specs = [spec("a")]
        let ids = try await applied(specs)
        await provider.mutate(id: ids["a"] ?? "", attribute: "value", value: .string("edited"))
        _ = try await engine.record(try await engine.detectDrift(specs: specs, settings: settings, ignore: IgnoreRules()))
        let stale = try await engine.accept(ResourceAddress(name: "a"), specs: specs, settings: settings)
        #expect(stale.map(\.description) == ["value"])
        #expect(try store.resource(ResourceAddress(name: "a"))?.attributes["value"] == .string("edited"))
        #expect(try store.driftFindings(address: "a", since: nil).map(\.resolution) == [.accepted])
        #expect(try await engine.detectDrift(specs: specs, settings: settings, ignore: IgnoreRules()).findings.isEmpty)
    }
}
