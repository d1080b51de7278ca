import Foundation
import ProviderKit
import ProviderKitTesting
import TendConfig
import TendEngine
import TendModel
import TendState
import Testing

/// Issue 12, part 4: refresh tells each read what the configuration declares for its object
/// (`ProviderContext.declaredAttributes`), in plans and drift scans, and tells nothing about an object the
/// configuration no longer declares.
@Suite struct DeclaredAttributesTests {
    let provider = InMemoryProvider()
    let store = InMemoryStateStore()
    let settings = PlanSettings(directory: "/nonexistent", stack: "test", providers: [:])

    /// A spec whose configuration wrote `written`; `declared` false leaves `declaredProperties` unknown.
    static func spec(_ name: String, written: [String: Value], declared: Bool = true) -> ResourceSpec {
        var properties = written.mapValues { TendModel.Expression.literal($0) }
        properties["value"] = properties["value"] ?? .literal(.string("filled in as a default"))
        var spec = ResourceSpec(address: ResourceAddress(name: name), type: "mem_thing", provider: "mem", properties: properties)
        if declared { spec.declaredProperties = written.keys.sorted() }
        return spec
    }

    @Test func refreshPassesEachObjectsDeclaredAttributes() async throws {
        let recording = RecordingProvider(wrapping: provider)
        let engine = Engine(registry: ProviderRegistry([recording]), store: store, clock: { Date() }, retry: .none)
        let specs = [
            Self.spec("a", written: ["name": .string("a")]),
            Self.spec("b", written: ["name": .string("b"), "tags": .map(["k": .string("v")])]),
            Self.spec("c", written: ["name": .string("c")], declared: false),
            Self.spec("gone", written: ["name": .string("gone")]),
        ]
        _ = try await engine.apply(try await engine.plan(specs: specs, settings: settings), settings: settings)
        let ids = try store.resources().reduce(into: [String: String]()) { $0[$1.address.name] = $1.id }
        let expected: [String: Set<String>?] = [
            ids["a"] ?? "": ["name"], ids["b"] ?? "": ["name", "tags"], ids["c"] ?? "": ["name", "value"],
            ids["gone"] ?? "": nil,   // no longer declared: read whole
        ]
        let kept = Array(specs.dropLast())

        await recording.reset()
        _ = try await engine.plan(specs: kept, settings: settings)
        #expect(await recording.observedDeclarations == expected)

        await recording.reset()
        _ = try await engine.detectDrift(specs: kept, settings: settings, ignore: IgnoreRules())
        #expect(await recording.observedDeclarations == expected)

        // A destroy asks only whether each object still exists: nothing is declared for any of them, whether its
        // configuration declares attributes, declares unknown ones, or is gone.
        await recording.reset()
        let destroy = try await engine.plan(specs: kept, settings: settings, destroy: true)
        #expect(destroy.changes.filter { $0.action == .delete }.count == 4)
        #expect(await recording.observedDeclarations == ids.values.reduce(into: [String: Set<String>?]()) { $0[$1] = [] })
    }
}
