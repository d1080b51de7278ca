import Foundation
import PropertyBased
import ProviderKit
import ProviderKitTesting
import TendEngine
import TendFuzzing
import TendModel
import TendState
import Testing

/// A property over random configurations: whatever the configuration, the changes made outside tend and the
/// ignore_changes paths (at any depth), apply leaves every object exactly as the plan showed, and planning again
/// finds nothing to do.
@Suite struct ApplyExecutesPlanPropertyTests {
    /// `mem_deep`: a force_new `name`, a `config` of nested maps, and computed `id_attr` and `revision`.
    static let deepSchema = ResourceSchema(type: "mem_deep", description: "Nested values kept in memory.", attributes: [
        "name": AttributeSchema(.string, .required, forceNew: true),
        "config": AttributeSchema(.map(.any), .optional),
        "id_attr": AttributeSchema(.string, .computed),
        "revision": AttributeSchema(.number, .computed),
    ])

    /// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
    struct SplitMix {
        var random: FuzzRandom
        init(state: UInt64) { random = FuzzRandom(seed: state) }
        mutating func next() -> UInt64 { random.next() }
        mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance(_ percent: Int) -> Bool { int(0..<100) < percent }
        mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[int(0..<items.count)] }
    }

    static let keys = ["a", "b", "c", "d"]

    static func randomMap(_ g: inout SplitMix, depth: Int) -> Value {
        var entries: [String: Value] = [:]
        for key in keys where g.chance(55) {
            entries[key] = depth > 1 && g.chance(40) ? randomMap(&g, depth: depth - 1) : .string("v\(g.int(0..<5))")
        }
        return .map(entries)
    }

    /// Every path into a nested map, inner ones included.
    static func paths(of value: Value, under prefix: AttributePath) -> [AttributePath] {
        guard case let .map(entries) = value else { return [] }
        return entries.keys.sorted().flatMap { key -> [AttributePath] in
            let path = prefix.appending(.key(key))
            return [path] + paths(of: entries[key] ?? .null, under: path)
        }
    }

    /// The value with a few random edits: leaves changed, keys added, keys removed.
    static func edited(_ value: Value, _ g: inout SplitMix) -> Value {
        var attributes: [String: Value] = ["config": value]
        for _ in 0..<g.int(1..<4) {
            let candidates = paths(of: attributes["config"] ?? .null, under: AttributePath(keys: "config"))
            switch g.int(0..<3) {
            case 0:
                if let path = g.pick(candidates) { attributes.set(.string("e\(g.int(0..<9))"), at: path) }
            case 1:
                attributes.set(.string("n\(g.int(0..<9))"), at: AttributePath(keys: "config", keys[g.int(0..<keys.count)]))
            default:
                if let path = g.pick(candidates) { attributes.set(nil, at: path) }
            }
        }
        return attributes["config"] ?? .map([:])
    }

    static func spec(_ index: Int, config: Value, ignore: [AttributePath], reference: Int?) -> ResourceSpec {
        var properties: [String: TendModel.Expression] = ["name": .literal(.string("r\(index)")), "config": .literal(config)]
        var dependencies: [ResourceAddress] = []
        if let reference, case var .map(entries) = config {
            let ref = Reference(name: "r\(reference)", path: AttributePath(keys: "id_attr"))
            var expressions = entries.mapValues { TendModel.Expression.literal($0) }
            expressions["ref"] = .template([.text("of-"), .reference(ref)])
            entries["ref"] = nil
            properties["config"] = .map(expressions)
            dependencies = [ResourceAddress(name: "r\(reference)")]
        }
        return ResourceSpec(address: ResourceAddress(name: "r\(index)"), type: "mem_deep", provider: "mem", properties: properties,
                            options: ResourceOptions(ignoreChanges: ignore), dependencies: dependencies)
    }

    /// swift-property-based draws the seeds (a failing one is reported, and replays with `check(seed:)`); each seed
    /// builds a whole scenario: resources, references, ignore paths, outside edits and configuration edits.
    @Test func applyLeavesEveryObjectAsThePlanShowed() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(UInt32.max))) { seed in
            try await Self.check(seed: seed)
        }
    }

    static func check(seed: Int) async throws {
        var g = SplitMix(state: UInt64(seed) &* 7919 &+ 17)
        let provider = InMemoryProvider(schemas: [Self.deepSchema])
        let store = InMemoryStateStore()
        let engine = Engine(registry: ProviderRegistry([provider]), store: store, clock: { Date(timeIntervalSince1970: 0) },
                            retry: .none)
        let settings = PlanSettings(directory: "/nonexistent", stack: "property", providers: [:])

        let count = g.int(1..<5)
        var configs = (0..<count).map { _ in Self.randomMap(&g, depth: 3) }
        let references = (0..<count).map { index in index > 0 && g.chance(30) ? g.int(0..<index) : nil }
        let ignores = configs.map { config -> [AttributePath] in
            Self.paths(of: config, under: AttributePath(keys: "config")).filter { _ in g.chance(25) }
        }
        let first = (0..<count).map { Self.spec($0, config: configs[$0], ignore: ignores[$0], reference: references[$0]) }
        let created = try await engine.apply(try await engine.plan(specs: first, settings: settings), settings: settings)
        #expect(!created.hasFailures, "seed \(seed): \(created.failed)")

        // Changes made outside tend, then an edited configuration.
        for record in try store.resources() where g.chance(60) {
            let current = await provider.object(id: record.id)?["config"] ?? .map([:])
            await provider.mutate(id: record.id, attribute: "config", value: Self.edited(current, &g))
        }
        for index in configs.indices where g.chance(60) { configs[index] = Self.edited(configs[index], &g) }
        let second = (0..<count).map { Self.spec($0, config: configs[$0], ignore: ignores[$0], reference: references[$0]) }

        let plan = try await engine.plan(specs: second, settings: settings)
        let result = try await engine.apply(plan, settings: settings)
        #expect(!result.hasFailures, "seed \(seed): \(result.failed)")
        for change in plan.changes {
            let record = try #require(try store.resource(change.address))
            let object = try #require(await provider.object(id: record.id))
            #expect(object["config"] == change.after?["config"],
                    "seed \(seed): \(change.address) is not what the plan showed (\(change.action))")
            // An ignored value is kept wherever the planned value still has a map to hold it (a configuration that
            // turns its parent into a string has changed the parent itself).
            for path in ignores[Int(change.address.name.dropFirst()) ?? 0] {
                let parent = AttributePath(Array(path.components.dropLast()))
                guard change.action == .update, case .map? = change.after?.value(at: parent) else { continue }
                #expect(object.value(at: path) == change.before?.value(at: path),
                        "seed \(seed): \(change.address) \(path) is ignored, yet apply changed it")
            }
        }
        let again = try await engine.plan(specs: second, settings: settings)
        #expect(!again.hasChanges, "seed \(seed): planning again finds \(again.changes.filter { $0.action != .noop })")
    }
}
