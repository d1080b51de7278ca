import Foundation
import ProviderKit
import TendGraph
import TendModel

/// Data sources: read at plan time when everything they depend on is settled, else during apply before what refers
/// to them. Their results feed `${data.NAME.attr}` references and are never stored in state or drift-checked.
extension Engine {
    /// The provider that reads a data source (its `options.provider`, else the one serving the type) and its schema.
    func resolveData(_ spec: DataSourceSpec) throws -> (any ResourceProvider, ResourceSchema) {
        if let provider = dataProvider(for: spec), let schema = provider.dataSchema(for: spec.type) { return (provider, schema) }
        throw EngineError(.unknownProvider, [Diagnostic(.error, "no provider serves data source type \"\(spec.type)\"",
                                                        at: spec.location, address: spec.address.description)])
    }

    /// The provider that reads a data source: the one its spec names when that one has the type, else the one
    /// serving the type; nil when none does.
    func dataProvider(for spec: DataSourceSpec) -> (any ResourceProvider)? {
        if let named = registry.provider(named: spec.provider), named.dataSchema(for: spec.type) != nil { return named }
        return registry.provider(forDataType: spec.type)
    }

    /// Reads one data source whose configuration is known. The result is typed by the schema and holds every
    /// attribute of it (null where the provider returned none), so a reference to an unset attribute reads null,
    /// not "known after apply".
    func readData(_ spec: DataSourceSpec, config: [String: Value], settings: PlanSettings) async throws -> [String: Value] {
        let (provider, schema) = try resolveData(spec)
        let context = context(for: provider.name, settings: settings)
        let typed = schema.typed(config)
        var result = try await retry.run {
            try await provider.readData(type: spec.type, config: typed, context: context)
        }
        for name in schema.attributes.keys where result[name] == nil { result[name] = .null }
        return schema.typed(result)
    }

    /// Why a data source is read during apply instead of now; nil when it can be read now. It waits when its
    /// configuration holds a value known only after apply, or when something it depends on changes in this plan
    /// (a resource with a change planned, a data source read during apply): reading now could see the world before
    /// that change.
    static func deferralReason(_ spec: DataSourceSpec, config: [String: Value], actions: [ResourceAddress: ChangeAction],
                               deferred: Set<ResourceAddress>) -> String? {
        for dependency in spec.dependencies {
            if deferred.contains(dependency) { return "it depends on \(dependency), which is read during apply" }
            if let action = actions[dependency], action != .noop { return "it depends on \(dependency), which has changes planned" }
        }
        if let key = config.keys.sorted().first(where: { config[$0]?.containsUnknown == true }) {
            return "\"\(key)\" is known only after apply"
        }
        return nil
    }

    /// Reads the data sources of one planning wave at once: each is read now or deferred (`DataSourceRead.result`
    /// nil). `values` holds the planned values of what they may refer to; the diagnostics say which reads failed.
    func readDataSources(_ wave: [DataSourceSpec], values: [ResourceAddress: [String: Value]],
                         actions: [ResourceAddress: ChangeAction], deferred: Set<ResourceAddress>,
                         settings: PlanSettings) async -> (reads: [DataSourceRead], diagnostics: [Diagnostic]) {
        await withTaskGroup(of: (DataSourceRead?, Diagnostic?).self) { group in
            for spec in wave {
                group.addTask {
                    let config = spec.configuration(values: values)
                    if let reason = Engine.deferralReason(spec, config: config, actions: actions, deferred: deferred) {
                        return (DataSourceRead(spec: spec, result: nil, deferralReason: reason), nil)
                    }
                    do {
                        let result = try await readData(spec, config: config, settings: settings)
                        return (DataSourceRead(spec: spec, result: result), nil)
                    } catch {
                        let message = Redaction.scrub(Engine.describe(error), attributes: [config],   // sensitivity
                                                      paths: spec.sensitivePaths)
                        return (nil, Diagnostic(.error, "\(spec.address): reading \(spec.type): \(message)", at: spec.location,
                                                address: spec.address.description))
                    }
                }
            }
            var reads: [DataSourceRead] = []
            var diagnostics: [Diagnostic] = []
            for await (read, diagnostic) in group {
                if let read { reads.append(read) }
                if let diagnostic { diagnostics.append(diagnostic) }
            }
            return (reads.sorted(byKey: \.spec.address), diagnostics.sorted { $0.summary < $1.summary })
        }
    }

    /// Dependencies as state records them: resource addresses only. A data source among them is replaced by what it
    /// depends on, through any chain of data sources, so deletes still run in the order the data source imposed.
    static func recordedDependencies(_ dependencies: [ResourceAddress], dataSources: [DataSourceSpec]) -> [ResourceAddress] {
        guard dependencies.contains(where: \.isDataSource) else { return dependencies }
        let byAddress = Dictionary(dataSources.map { ($0.address, $0.dependencies) }, uniquingKeysWith: { a, _ in a })
        var out: Set<ResourceAddress> = []
        var seen: Set<ResourceAddress> = []
        var pending = dependencies
        while let next = pending.popLast() {
            guard next.isDataSource else {
                out.insert(next)
                continue
            }
            if seen.insert(next).inserted { pending += byAddress[next] ?? [] }
        }
        return out.sorted()
    }

    /// Resource specs and data sources, each sorted by address, and waves of indexes into them over both.
    typealias PlanOrder = (specs: [ResourceSpec], dataSources: [DataSourceSpec], waves: [(specs: [Int], dataSources: [Int])])

    /// The plan order of specs and data sources: each wave's members depend only on members of earlier waves. A
    /// dependency cycle (refused by validation) falls back to one member per wave.
    static func dependencyWaves(_ specs: [ResourceSpec], dataSources: [DataSourceSpec]) -> PlanOrder {
        let sortedSpecs = specs.sorted(byKey: \.address)
        let sortedData = dataSources.sorted(byKey: \.address)
        let addresses = sortedSpecs.map(\.address) + sortedData.map(\.address)
        var index: [ResourceAddress: Int] = [:]
        index.reserveCapacity(addresses.count)
        for i in addresses.indices { index[addresses[i]] = i }
        let dependencies = (sortedSpecs.map(\.dependencies) + sortedData.map(\.dependencies)).map { $0.compactMap { index[$0] } }
        var level = Array(addresses.indices)
        if let order = IndexedGraph.topologicalOrder(dependencies: dependencies) {
            level = [Int](repeating: 0, count: addresses.count)
            for node in order { level[node] = dependencies[node].reduce(0) { max($0, level[$1] + 1) } }
        }
        var waves = [(specs: [Int], dataSources: [Int])](repeating: ([], []), count: (level.max() ?? -1) + 1)
        for node in addresses.indices {
            if node < sortedSpecs.count {
                waves[level[node]].specs.append(node)
            } else {
                waves[level[node]].dataSources.append(node - sortedSpecs.count)
            }
        }
        return (sortedSpecs, sortedData, waves.filter { !$0.specs.isEmpty || !$0.dataSources.isEmpty })
    }
}
