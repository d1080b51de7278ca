import ProviderKit
import TendDiff
import TendGraph
import TendModel
import TendState

extension Engine {
    /// Refreshes every managed object, then diffs the desired specs against what exists.
    /// With `destroy`, every managed object is planned for deletion. Never writes state or touches the world.
    /// `records`, when given, are the state's resources read beforehand (for example while the configuration loaded).
    public func plan(specs: [ResourceSpec], settings: PlanSettings, destroy: Bool = false,
                     records prefetched: [ResourceRecord]? = nil) async throws -> Plan {
        let version: StateVersion?
        let records: [ResourceRecord]
        do {
            version = try store.version()
            records = try prefetched ?? store.resources()
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
        let recordsByAddress = Dictionary(records.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        // Desired values only matter to recover creates a crash left pending.
        let pending = Set(records.filter { $0.status == .createPending }.map(\.address))
        var recoverHints: [ResourceAddress: [String: Value]] = [:]
        for spec in specs where pending.contains(spec.address) {
            recoverHints[spec.address] = spec.properties.compactMapValues { $0.literalValue }
        }
        let refreshed = await refresh(records: records, desired: recoverHints, settings: settings)
        var diagnostics = refreshed.diagnostics
        guard !diagnostics.hasErrors else { throw EngineError(.planFailed, diagnostics) }

        var changes: [ResourceChange] = []
        var drift: [DriftChange] = []
        let specsByAddress = Dictionary(specs.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })

        if !destroy {
            let planned = await planSpecs(specs, records: recordsByAddress, refreshed: refreshed, settings: settings)
            changes += planned.changes
            drift += planned.drift
            diagnostics += planned.diagnostics
        }
        for record in records where destroy || specsByAddress[record.address] == nil {
            guard let (_, schema) = try? resolve(type: record.type, address: record.address) else {
                diagnostics.append(Diagnostic(.error, "state holds \(record.address) of type \"\(record.type)\", which no provider manages",
                                              address: record.address.description))
                continue
            }
            let differ = Differ(schema: schema)
            let observation = observationFor(record, refreshed)
            let options = specsByAddress[record.address]?.options ?? ResourceOptions()
            if record.status == .createPending, observation != .some(.absent), observation != nil {
                // A crashed create left an object behind: it is deleted like any other.
            } else if record.status == .createPending {
                changes.append(ResourceChange(address: record.address, type: record.type, provider: record.provider,
                                              action: .delete, before: nil, after: nil, sensitivePaths: schema.sensitivePaths,
                                              reason: "an interrupted create left nothing behind; forgotten from state"))
                continue
            }
            changes.append(differ.change(address: record.address, provider: record.provider, desired: nil, options: options,
                                         record: record, observation: observation))
            if record.status == .created, let observation,
               let found = differ.drift(address: record.address, provider: record.provider, record: record,
                                        observation: observation, options: options) {
                drift.append(found)
            }
        }
        for change in changes where change.action.isDestroying {
            guard let spec = specsByAddress[change.address], spec.options.preventDestroy else { continue }
            let what = change.action == .delete ? "destroy" : "replace"
            diagnostics.append(Diagnostic(.error, "\(change.address) has prevent_destroy set, but this plan would \(what) it",
                                          detail: "Remove prevent_destroy from its options, or change the plan so it keeps the object.",
                                          at: spec.location, address: change.address.description))
        }
        guard !diagnostics.hasErrors else { throw EngineError(.planFailed, diagnostics.sortedByLocation) }
        return Plan(changes: changes.sorted { $0.address < $1.address }, drift: drift.sorted { $0.address < $1.address },
                    specs: specs.sorted { $0.address < $1.address }, lineage: version?.lineage, serial: version?.serial ?? 0,
                    isDestroy: destroy, warnings: diagnostics.filter { $0.severity == .warning })
    }

    private func observationFor(_ record: ResourceRecord, _ refreshed: RefreshResult) -> Observation? {
        refreshed.observations[record.address]
    }

    /// Evaluates and diffs every spec in dependency order, so references see the planned values of what they name.
    private func planSpecs(_ specs: [ResourceSpec], records: [ResourceAddress: ResourceRecord], refreshed: RefreshResult,
                           settings: PlanSettings) async -> (changes: [ResourceChange], drift: [DriftChange], diagnostics: [Diagnostic]) {
        var changes: [ResourceChange] = []
        var drift: [DriftChange] = []
        var diagnostics: [Diagnostic] = []
        var afterValues: [ResourceAddress: [String: Value]] = [:]
        for spec in Engine.dependencyOrder(specs) {
            let provider: any ResourceProvider
            let schema: ResourceSchema
            do {
                (provider, schema) = try resolve(type: spec.type, address: spec.address)
            } catch {
                diagnostics.append(Diagnostic(.error, Engine.describe(error), at: spec.location, address: spec.address.description))
                continue
            }
            var desired = Engine.evaluate(spec, values: afterValues)
            do {
                desired = try await plannedDesired(desired, provider: provider, type: spec.type,
                                                   context: context(for: spec.provider, settings: settings))
            } catch {
                diagnostics.append(Diagnostic(.error, "\(spec.address): \(Engine.describe(error))", at: spec.location,
                                              address: spec.address.description))
                continue
            }
            var record = records[spec.address]
            var observation = record.flatMap { refreshed.observations[$0.address] }
            if record?.status == .createPending, observation == .absent {
                record = nil
                observation = nil
            }
            let differ = Differ(schema: schema)
            let change = differ.change(address: spec.address, provider: spec.provider, desired: desired, options: spec.options,
                                       record: record, observation: observation)
            changes.append(change)
            afterValues[spec.address] = change.after ?? [:]
            if let record, record.status == .created, let observation,
               let found = differ.drift(address: spec.address, provider: spec.provider, record: record,
                                        observation: observation, options: spec.options) {
                drift.append(found)
            }
        }
        return (changes, drift, diagnostics)
    }

    /// Lets the provider normalise declared values and fill computed ones; values not yet known pass through.
    func plannedDesired(_ desired: [String: Value], provider: any ResourceProvider, type: String,
                        context: ProviderContext) async throws -> [String: Value] {
        let unknown = desired.filter { $0.value.containsUnknown }
        if !unknown.isEmpty {
            // The provider cannot plan with unknown inputs; it will see real values at apply time.
            return desired
        }
        return try await provider.plan(type: type, desired: desired, context: context)
    }

    /// Desired attribute values of a spec, with references read from `values`. Nulls mean "not set".
    static func evaluate(_ spec: ResourceSpec, values: [ResourceAddress: [String: Value]]) -> [String: Value] {
        var out: [String: Value] = [:]
        for (key, expression) in spec.properties {
            let value = expression.evaluate { reference in
                guard let attrs = values[reference.address] else { return nil }
                return attrs.value(at: reference.path)
            }
            if value != .null { out[key] = value }
        }
        return out
    }

    /// Specs with dependencies first, ties by address.
    static func dependencyOrder(_ specs: [ResourceSpec]) -> [ResourceSpec] {
        let sorted = specs.sorted { $0.address < $1.address }
        var index: [ResourceAddress: Int] = [:]
        index.reserveCapacity(sorted.count)
        for (i, spec) in sorted.enumerated() { index[spec.address] = i }
        let dependencies = sorted.map { spec in spec.dependencies.compactMap { index[$0] } }
        guard let order = IndexedGraph.topologicalOrder(dependencies: dependencies) else { return sorted }
        return order.map { sorted[$0] }
    }
}
