import Foundation
import ProviderKit
import TendDiff
import TendGraph
import TendModel
import TendState

extension Engine {
    /// Refreshes every managed object, then diffs the desired specs against what exists.
    /// With `destroy`, every managed object is planned for deletion. Never writes state or touches the world.
    ///
    /// Data sources are read on the way, in dependency order, before the specs that refer to them; one that depends on
    /// something this plan changes, or on a value known only after apply, is left for apply to read (its values are
    /// unknown in the plan). A destroy plan reads none.
    ///
    /// `request` narrows the plan to targets or away from exclusions (objects outside it are neither read nor
    /// changed), forces replacements, or plans against the recorded state without reading providers.
    public func plan(specs: [ResourceSpec], dataSources: [DataSourceSpec] = [], settings: PlanSettings,
                     destroy: Bool = false, request: PlanRequest = PlanRequest(), outputs: [OutputSpec] = []) async throws -> Plan {
        let version: StateVersion?
        let recordedOutputs: [OutputValue]
        var records: [ResourceRecord]
        var deposedRecords: [ResourceRecord]
        var specs = specs
        var dataSources = dataSources
        // What the plan looks up by spec is worked out beside the state read, which leaves a core idle while SQLite
        // reads; a partial plan narrows its specs after the read, and works it out then.
        let specLookup: Task<SpecLookup, Never>? = request.isPartial ? nil : Task { [specs] in SpecLookup(specs) }
        // So is the order specs are planned in (by dependency): planning, after the refresh, starts at once.
        let planOrder: Task<PlanOrder, Never>? = request.isPartial || destroy ? nil : Task { [specs, dataSources] in
            Engine.dependencyWaves(specs, dataSources: dataSources)
        }
        do {
            version = try await state.version()
            records = try await state.resources(sharing: SharedStrings(declaredBy: specs))
            deposedRecords = try await state.deposedObjects()
            recordedOutputs = try await state.outputs()
            FreedMemory.release()
            PhaseProfile.mark("state read: \(records.count) records")
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
        var replaced: Set<ResourceAddress> = []
        var covered: Set<ResourceAddress>?
        if request.isPartial || !request.replace.isEmpty {
            let scope = PlanScope(nodes: specs.map { PlanScope.Node(address: $0.address, type: $0.type, dependencies: $0.dependencies) }
                + dataSources.map { PlanScope.Node(address: $0.address, type: $0.type, dependencies: $0.dependencies) }
                + (records + deposedRecords).map { PlanScope.Node(address: $0.address, type: $0.type, dependencies: $0.dependencies) })
            if !request.replace.isEmpty, !destroy {
                replaced = try scope.replaced(request.replace, configured: Set(specs.map(\.address)))
            }
            if request.isPartial {
                let scoped = try scope.covered(by: request, destroy: destroy)
                covered = scoped
                if let outside = replaced.subtracting(scoped).min() {
                    throw EngineError(.invalidRequest, "--replace \(outside) is outside what \(request.scopeFlags) covers")
                }
                specs.removeAll { !scoped.contains($0.address) }
                dataSources.removeAll { !scoped.contains($0.address) }
                records.removeAll { !scoped.contains($0.address) }
                deposedRecords.removeAll { !scoped.contains($0.address) }
            }
        }
        let reads = destroy ? [] : dataSources
        try await configureProviders(forTypes: Set(specs.map(\.type)).union(records.map(\.type)),
                                     dataSources: reads, settings: settings)
        records = try await upgraded(records, settings: settings)
        PhaseProfile.mark("providers configured")
        let recordsByAddress = AddressIndex(records)
        let lookup = await specLookup?.value ?? SpecLookup(specs)
        let specsByAddress = lookup.specs
        // A destroy needs to know which objects still exist, not what their attributes are now: each is read for its
        // identity and existence only (nothing declared), which leaves out the requests that serve only attributes
        // (a bucket's tags and versioning). Deletes use what state recorded.
        let declared = destroy ? Dictionary(records.lazy.map { ($0.address, Set<String>()) }) { first, _ in first }
            : lookup.declaredNames
        let recoverHints = Engine.recoveryHints(records: records, specs: { specsByAddress[$0] })
        let deposedIDs = Dictionary(grouping: deposedRecords, by: \.address).mapValues { Set($0.map(\.id)) }
        // Without a refresh, what state recorded stands for what exists. Interrupted creates are still looked for:
        // whether their object exists is not recorded anywhere, and guessing either way loses or duplicates it.
        var refreshed = await refresh(records: request.refresh ? records : records.filter { $0.status != .created },
                                      desired: recoverHints, deposed: deposedIDs, declared: declared, settings: settings)
        if !request.refresh {
            for record in records where record.status == .created {
                refreshed.observations[record.address] = .present(record.attributes)
            }
        }
        FreedMemory.release()
        PhaseProfile.mark("refreshed")
        var diagnostics = refreshed.diagnostics
        guard !diagnostics.hasErrors else { throw EngineError(.planFailed, diagnostics) }

        var changes: [ResourceChange] = []
        var drift: [DriftChange] = []
        var dataReads: [DataSourceRead] = []

        if !destroy {
            let order = await planOrder?.value ?? Engine.dependencyWaves(specs, dataSources: reads)
            let planned = await planSpecs(order, records: recordsByAddress, refreshed: refreshed, replaced: replaced,
                                          settings: settings)
            changes = planned.changes   // nothing is in `changes` yet: taken as it is, not copied
            drift = planned.drift
            diagnostics += planned.diagnostics
            dataReads = planned.reads
        }
        if destroy { changes.reserveCapacity(records.count) }   // one change per record, without regrowing on the way
        let recordTypes = resolvedTypes(Set(records.map(\.type)))
        // Records are looked at in place; only those without a spec (or all, to destroy) are taken out.
        for index in records.indices where destroy || !specsByAddress.contains(records[index].address) {
            let record = records[index]
            guard let differ = recordTypes[record.type]?.differ else {
                diagnostics.append(Diagnostic(.error, "state holds \(record.address) of type \"\(record.type)\", which no provider manages",
                                              address: record.address.description))
                continue
            }
            let observation = observationFor(record, refreshed)
            let options = specsByAddress[record.address]?.options ?? ResourceOptions()
            if record.status == .createPending, observation != .some(.absent), observation != nil {
                // A crashed create left an object behind: it is deleted like any other.
            } else if record.status == .createPending {
                changes.append(ResourceChange(address: record.address, type: record.type, provider: record.provider,
                                              action: .delete, before: nil, after: nil, sensitivePaths: differ.sensitivePaths,
                                              reason: "an interrupted create left nothing behind; forgotten from state"))
                continue
            }
            changes.append(differ.change(address: record.address, provider: record.provider, desired: nil, options: options,
                                         record: record, observation: observation)
                .markingSensitive(record.sensitivePaths))   // sensitivity: recorded marks
            if record.status == .created, let observation,
               let found = differ.drift(address: record.address, provider: record.provider, record: record,
                                        observation: observation, options: options) {
                drift.append(found.markingSensitive(record.sensitivePaths, marker: Redaction.marker))   // sensitivity
            }
        }
        for index in changes.indices where changes[index].action.isDestroying {
            let change = changes[index]
            guard let spec = specsByAddress[change.address], spec.options.preventDestroy else { continue }
            let what = change.action == .delete ? "destroy" : "replace"
            diagnostics.append(Diagnostic(.error, "\(change.address) has prevent_destroy set, but this plan would \(what) it",
                                          detail: "Remove prevent_destroy from its options, or change the plan so it keeps the object.",
                                          at: spec.location, address: change.address.description))
        }
        guard !diagnostics.hasErrors else { throw EngineError(.planFailed, diagnostics.sortedByLocation) }
        PhaseProfile.mark("diffed")
        exitRetainer.keep((records, recordsByAddress, specsByAddress, refreshed))
        let deposed = deposedRecords.map { record in
            var change = ResourceChange(address: record.address, type: record.type, provider: record.provider, action: .delete,
                                        before: record.attributes, after: nil, sensitivePaths: record.sensitivePaths,
                                        reason: "the old object of a create_before_destroy replacement, not deleted yet",
                                        deposedID: record.id)
            change.plannedPrivate = record.privateData
            return change
        }
        changes.sort(byKey: \.address)
        drift.sort(byKey: \.address)
        specs.sort(byKey: \.address)
        var plan = Plan(changes: changes, drift: drift,
                    specs: specs, lineage: version?.lineage, serial: version?.serial ?? 0,
                    isDestroy: destroy, warnings: diagnostics.filter { $0.severity == .warning }, deposed: deposed,
                    pendingCreates: records.filter { $0.status == .createPending }.map(\.address), dataSources: dataReads,
                    createdAt: clock(), request: request)
        plan.outputSpecs = outputs
        plan.outputs = Engine.plannedOutputs(outputs, recorded: recordedOutputs, changes: changes, reads: dataReads,
                                             destroy: destroy, covered: covered)
        return plan
    }

    /// What recovery of each create-pending record looks for: the planned values its intent recorded. An intent
    /// written by an older tend recorded none; then the configuration is evaluated against the recorded state of
    /// what it references, keeping only the values that come out known.
    static func recoveryHints(records: [ResourceRecord], specs: (ResourceAddress) -> ResourceSpec?) -> [ResourceAddress: [String: Value]] {
        // Nearly every plan has no interrupted create: then nothing below is worth building.
        guard records.contains(where: { $0.status == .createPending }) else { return [:] }
        var hints: [ResourceAddress: [String: Value]] = [:]
        let byAddress = Dictionary(records.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        for record in records where record.status == .createPending {
            if !record.attributes.isEmpty {
                hints[record.address] = record.attributes
            } else if let spec = specs(record.address) {
                var values: [ResourceAddress: [String: Value]] = [:]
                for dependency in spec.dependencies where byAddress[dependency]?.status == .created {
                    values[dependency] = byAddress[dependency]?.attributes
                }
                hints[record.address] = evaluate(spec, values: values).filter { !$0.value.containsUnknown }
            }
        }
        return hints
    }

    private func observationFor(_ record: ResourceRecord, _ refreshed: RefreshResult) -> Observation? {
        refreshed.observations[record.address]
    }

    /// Evaluates and diffs every spec in dependency order, so references see the planned values of what they name.
    /// Specs are taken in waves (each wave needs only earlier ones), and a wave's specs are planned in parallel chunks;
    /// a wave's data sources are read (or deferred to apply) before its specs are planned.
    private func planSpecs(_ order: PlanOrder, records: AddressIndex<ResourceRecord>,
                           refreshed: RefreshResult, replaced: Set<ResourceAddress>, settings: PlanSettings)
        async -> (changes: [ResourceChange], drift: [DriftChange], diagnostics: [Diagnostic], reads: [DataSourceRead]) {
        let (specs, dataSources, mixedWaves) = order
        var changes: [ResourceChange] = []
        var drift: [DriftChange] = []
        var diagnostics: [Diagnostic] = []
        var reads: [DataSourceRead] = []
        var afterValues: [ResourceAddress: [String: Value]] = [:]
        // What data sources depend on: whether it changes decides whether they are read now.
        let dataDependencies = Set(dataSources.flatMap(\.dependencies))
        var actions: [ResourceAddress: ChangeAction] = [:]
        var deferred: Set<ResourceAddress> = []
        let contexts = Dictionary(Set(specs.map(\.provider)).map { ($0, context(for: $0, settings: settings)) },
                                  uniquingKeysWith: { a, _ in a })
        let types = resolvedTypes(Set(specs.map(\.type)))
        // Planned values are kept only for what some spec refers to.
        let referenced = Set(specs.flatMap(\.dependencies)).union(dataDependencies)
        for mixed in mixedWaves {
            if !mixed.dataSources.isEmpty {
                let read = await readDataSources(mixed.dataSources.map { dataSources[$0] }, values: afterValues, actions: actions,
                                                 deferred: deferred, settings: settings)
                diagnostics += read.diagnostics
                for done in read.reads {
                    reads.append(done)
                    if let result = done.result { afterValues[done.spec.address] = result } else { deferred.insert(done.spec.address) }
                }
            }
            let wave = mixed.specs
            guard !wave.isEmpty else { continue }
            let values = afterValues
            let chunkSize = max(64, wave.count / (4 * Engine.planningWorkers) + 1)
            // Each chunk's outcomes are gathered as its changes, drift and diagnostics, and taken in chunk order as
            // chunks finish: no array of every outcome is built on the way.
            var byChunk: [Int: WaveOutcomes] = [:]
            var next = 0
            changes.reserveCapacity(changes.count + wave.count)
            await withTaskGroup(of: (Int, WaveOutcomes).self) { group in
                for (chunkIndex, start) in stride(from: 0, to: wave.count, by: chunkSize).enumerated() {
                    let chunk = wave[start..<min(start + chunkSize, wave.count)]
                    group.addTask {
                        var out = WaveOutcomes()
                        out.changes = ElementRun(capacity: chunk.count)
                        // A chunk's specs are mostly of one type and provider: each is looked up when it changes, not
                        // copied out of its table once per spec.
                        var type: (name: String, resolved: ResolvedType?)?
                        var provider: (name: String, context: ProviderContext)?
                        for index in chunk {
                            let spec = specs[index]
                            if type?.name != spec.type { type = (spec.type, types[spec.type]) }
                            if provider?.name != spec.provider {
                                provider = (spec.provider, contexts[spec.provider] ?? context(for: spec.provider, settings: settings))
                            }
                            let outcome = await planSpec(spec, resolved: type?.resolved, values: values, record: records[spec.address],
                                                         refreshed: refreshed, replace: replaced.contains(spec.address),
                                                         context: provider?.context ?? context(for: spec.provider, settings: settings))
                            if let diagnostic = outcome.diagnostic { out.diagnostics.append(diagnostic) }
                            if let change = outcome.change { out.changes.append(change) }
                            if let found = outcome.drift { out.drift.append(found) }
                        }
                        return (chunkIndex, out)
                    }
                }
                for await (index, out) in group {
                    byChunk[index] = out
                    while let ready = byChunk.removeValue(forKey: next) {
                        next += 1
                        diagnostics += ready.diagnostics
                        drift += ready.drift
                        // Read in place: copying every change to look at its address costs a reference count per field.
                        for change in 0..<ready.changes.count {
                            let address = ready.changes[change].address
                            if referenced.contains(address) { afterValues[address] = ready.changes[change].after ?? [:] }
                            if dataDependencies.contains(address) { actions[address] = ready.changes[change].action }
                        }
                        // Moved, not copied: a copy retains and releases every field of every change.
                        changes.append(contentsOf: ready.changes.drain())
                    }
                }
            }
        }
        return (changes, drift, diagnostics, reads)
    }

    /// The specs by address and the attribute names each declares: what planning and refresh look up by spec.
    struct SpecLookup: Sendable {
        let specs: AddressIndex<ResourceSpec>
        let declaredNames: [ResourceAddress: Set<String>]

        init(_ specs: [ResourceSpec]) {
            self.specs = AddressIndex(specs)
            declaredNames = Engine.declaredAttributeNames(self.specs)
        }
    }

    /// Threads planning a wave at once: as many as the machine has cores.
    static let planningWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// The changes, drift and diagnostics of a chunk of specs, in spec order.
    private struct WaveOutcomes: Sendable {
        var changes = ElementRun<ResourceChange>()
        var drift: [DriftChange] = []
        var diagnostics: [Diagnostic] = []
    }

    /// One spec's change and drift, or why it could not be planned.
    private struct SpecOutcome: Sendable {
        var change: ResourceChange?
        var drift: DriftChange?
        var diagnostic: Diagnostic?
    }

    /// Evaluates one spec against the planned values of what it references, lets its provider plan it, and diffs it.
    private func planSpec(_ spec: ResourceSpec, resolved: ResolvedType?, values: [ResourceAddress: [String: Value]],
                          record found: ResourceRecord?, refreshed: RefreshResult, replace: Bool = false,
                          context: ProviderContext) async -> SpecOutcome {
        guard let resolved else {
            let error = Engine.unknownType(spec.type, address: spec.address)
            return SpecOutcome(diagnostic: Diagnostic(.error, Engine.describe(error), at: spec.location, address: spec.address.description))
        }
        let provider = resolved.provider
        // What the refresh found of the recorded object, looked up once.
        var observation = found.flatMap { refreshed.observations[$0.address] }
        var desired = Engine.evaluate(spec, values: values)
        var requiresReplace: [AttributePath] = []
        var plannedPrivate: String?
        do {
            // The prior state is what exists now (the refresh), as Terraform plans: a provider that merges the
            // configuration into the prior state (a Terraform plugin) keeps what changed outside tend in attributes
            // the configuration leaves to it. Without a refresh, the recorded attributes.
            var prior = found?.status == .created ? found?.attributes : nil
            if prior != nil, case let .present(observed)? = observation { prior = observed }
            // A replacement plans a new object: nothing of the old one carries over.
            if replace { prior = nil }
            let planned = try await plannedObject(desired, provider: provider, schema: resolved.differ.schema, prior: prior, context: context)
            // Planned values equal to what exists are that dictionary itself: an unchanged object's change then
            // holds one dictionary for before and after, not two equal ones.
            if let prior, planned.attributes == prior { desired = prior } else { desired = planned.attributes }
            requiresReplace = planned.requiresReplace
            plannedPrivate = planned.privateData
        } catch {
            let message = Redaction.scrub(Engine.describe(error), attributes: [desired],   // sensitivity: no secret in errors
                                          paths: Redaction.paths(resolved.differ.schema, spec))
            let place = spec.location(of: (error as? ProviderError)?.attribute)
            return SpecOutcome(diagnostic: Diagnostic(.error, "\(spec.address): \(message)", at: place,
                                                      address: spec.address.description))
        }
        var record = found
        if record?.status == .createPending, observation == .absent {
            record = nil
            observation = nil
        }
        let differ = resolved.differ
        var change = differ.change(address: spec.address, provider: spec.provider, desired: desired, options: spec.options,
                                   record: record, observation: observation, requiresReplace: requiresReplace,
                                   forceReplace: replace)
            .markingSensitive(spec.sensitivePaths + (record?.sensitivePaths ?? []))   // sensitivity: derived and recorded marks
        change.plannedPrivate = plannedPrivate
        var drift: DriftChange?
        if let record, record.status == .created, let observation {
            drift = differ.drift(address: spec.address, provider: spec.provider, record: record, observation: observation,
                                 options: spec.options)?
                .markingSensitive(spec.sensitivePaths + record.sensitivePaths, marker: Redaction.marker)   // sensitivity
        }
        return SpecOutcome(change: change, drift: drift)
    }

    /// Lets the provider normalise declared values, fill computed ones and say what forces replacement; values not
    /// yet known pass through, and the provider plans them at apply time.
    func plannedObject(_ desired: [String: Value], provider: any ResourceProvider, schema: ResourceSchema,
                       prior: [String: Value]? = nil, context: ProviderContext) async throws -> PlannedObject {
        // Values are typed by the schema on the way in and out: a list the schema calls a set is a set.
        let desired = schema.typed(desired)
        if !provider.plansUnknownValues, desired.values.contains(where: \.containsUnknown) {
            return PlannedObject(attributes: desired)
        }
        var planned = try await provider.planObject(type: schema.type, desired: desired, prior: prior, context: context)
        planned.attributes = schema.typed(planned.attributes)
        return planned
    }

    /// Desired attribute values of a spec, with references read from `values`. Nulls mean "not set".
    static func evaluate(_ spec: ResourceSpec, values: [ResourceAddress: [String: Value]]) -> [String: Value] {
        var out: [String: Value] = [:]
        out.reserveCapacity(spec.properties.count)
        for (key, expression) in spec.properties {
            let value = expression.evaluate { reference in
                guard let attrs = values[reference.address] else { return nil }
                return attrs.value(at: reference.path)
            }
            if value != .null { out[key] = value }
        }
        return out
    }

    /// The specs by address, and waves of indexes into them: each wave's specs depend only on specs of earlier waves;
    /// within a wave, by address. A dependency cycle (refused by validation) falls back to one spec per wave.
    static func dependencyWaves(_ specs: [ResourceSpec]) -> (specs: [ResourceSpec], waves: [[Int]]) {
        let sorted = specs.sorted(byKey: \.address)
        var index: [ResourceAddress: Int] = [:]
        index.reserveCapacity(sorted.count)
        for i in sorted.indices { index[sorted[i].address] = i }
        let dependencies = sorted.indices.map { sorted[$0].dependencies.compactMap { index[$0] } }
        guard let order = IndexedGraph.topologicalOrder(dependencies: dependencies) else {
            return (sorted, sorted.indices.map { [$0] })
        }
        var level = [Int](repeating: 0, count: sorted.count)
        for node in order {
            level[node] = dependencies[node].reduce(0) { max($0, level[$1] + 1) }
        }
        var waves = [[Int]](repeating: [], count: (level.max() ?? -1) + 1)
        for node in sorted.indices { waves[level[node]].append(node) }
        return (sorted, waves)
    }
}
