import Foundation
import ProviderKit
import TendGraph
import TendModel
import TendState

extension Engine {
    /// Refuses a plan made against another state than the current one.
    public func checkFresh(_ plan: Plan) async throws {
        let current: StateVersion?
        do { current = try await state.version() } catch { throw EngineError(.state, Engine.describe(error)) }
        guard current?.lineage == plan.lineage, (current?.serial ?? 0) == plan.serial else {
            let now = current.map { "lineage \($0.lineage), serial \($0.serial)" } ?? "no state"
            let then = plan.lineage.map { "lineage \($0), serial \(plan.serial)" } ?? "no state"
            throw EngineError(.stalePlan, [Diagnostic(.error, "saved plan is stale: it was made against \(then), but the state is now at \(now)",
                                                      detail: "Run tend plan again and apply the new plan.")])
        }
    }

    /// Advances the serial from the version `plan` was made against, checking and writing in one step, so that of two
    /// applies of plans made against one serial only the first goes on. A plan made when there was no state expects the
    /// state this run created since (`recordStack`) at the plan's serial, or still none.
    func advanceSerial(from plan: Plan) async throws -> StateVersion {
        let expected: StateVersion?
        if let lineage = plan.lineage {
            expected = StateVersion(lineage: lineage, serial: plan.serial)
        } else {
            expected = try await state.version().map { StateVersion(lineage: $0.lineage, serial: plan.serial) }
        }
        do {
            return try await state.advanceSerial(from: expected)
        } catch let error as StateError where error.code == .stale {
            throw EngineError(.stalePlan, [Diagnostic(.error, "plan is stale: \(error.message)",
                                                      detail: "Run tend plan again and apply the new plan.")])
        }
    }

    /// Applies a plan: deletes in reverse dependency order, then creates and updates in dependency order,
    /// then the old halves of create-before-destroy replacements. The caller holds the lock.
    /// Each operation writes its resource's state in its own transaction. Data sources the plan read keep their
    /// planned results; those it left to apply are read in the create-and-update phase, before what refers to them.
    public func apply(_ plan: Plan, settings: PlanSettings, parallelism: Int = 10) async throws -> ApplyResult {
        let runKind = plan.isDestroy ? "destroy" : "apply"
        // What planning freed (state decoding, refresh reads) goes back before the walk allocates its own.
        FreedMemory.release()
        // A saved plan is applied by an engine that did not plan it: its providers are configured first (once per
        // run: those the plan configured already are skipped).
        try await configureProviders(forTypes: Set(plan.changes.map(\.type)), dataSources: plan.dataSources.map(\.spec),
                                     settings: settings)
        let version: StateVersion
        let runID: Int64
        let records: AddressIndex<ResourceRecord>
        do {
            version = plan.hasChanges ? try await advanceSerial(from: plan) : try await state.initialize()
            runID = try await state.beginRun(kind: runKind, at: clock(), actor: actor)
            // Summaries only: the plan carries every attribute apply needs, so state is not decoded twice.
            records = AddressIndex(try await state.resourceSummaries())
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
        // Found by address without a second copy of each: 10,000 specs, changes and records are held once.
        let specs = AddressIndex(plan.specs)
        let changes = AddressIndex(plan.changes, address: \.address)
        var values: [ResourceAddress: [String: Value]] = [:]
        var ids: [ResourceAddress: String] = [:]
        for record in records.elements where record.status == .created {
            ids[record.address] = record.id
        }
        // Only what a spec, a data source or an output reads is kept (see ApplyState).
        let kept = Set(plan.specs.flatMap(\.dependencies) + plan.dataSources.flatMap(\.spec.dependencies)
            + plan.deferredReads.flatMap(\.spec.dependencies) + plan.outputSpecs.flatMap(\.dependencies))
        for change in plan.changes where kept.contains(change.address) {
            if let before = change.before { values[change.address] = before }
        }
        for read in plan.dataSources {
            if let result = read.result { values[read.spec.address] = result }
        }
        let progress = ApplyState(values: values, ids: ids, kept: kept)
        let step = ApplyStep(engine: self, settings: settings, serial: version.serial, runID: runID, state: progress,
                             specs: specs, changes: changes, records: records, dataSources: plan.dataSources.map(\.spec))
        await step.settlePending()

        let deletes = plan.changes.filter { $0.action == .delete || $0.action == .deleteThenCreate }
        let forward = plan.changes.filter { $0.action == .create || $0.action == .update || $0.action.isReplace }
        let deposed = plan.changes.filter { $0.action == .createThenDelete }

        await walk(deletes, reverse: true, parallelism: parallelism, state: progress, records: records, specs: specs) { change in
            await step.delete(change, deposed: false)
        }
        let reads = plan.deferredReads.map(\.spec)
        await walk(forward, reads: reads, reverse: false, parallelism: parallelism, state: progress, records: records,
                   specs: specs) { change in
            await step.createOrUpdate(change)
        } read: { spec in
            await step.read(spec)
        }
        await walk(deposed, reverse: true, parallelism: parallelism, state: progress, records: records, specs: specs) { change in
            await step.delete(change, deposed: true)
        }
        // Deposed objects earlier runs could not delete: nothing depends on them.
        for change in plan.deposed where !Task.isCancelled {
            if await progress.isStopped { break }
            _ = await step.deleteDeposed(change)
        }
        if let damage = await progress.stoppingError { throw Engine.stoppedError(damage, result: await progress.finish()) }
        let drifted = Set(plan.drift.map(\.address))
        var problems: [String] = []
        do {
            try await step.refreshUnchanged(plan.changes.filter { $0.action == .noop && drifted.contains($0.address) })
        } catch {
            problems.append("recording refreshed attributes: \(Engine.describe(error))")
        }

        if Task.isCancelled { await progress.markCancelled() }
        var result = await progress.finish()
        // Drift that apply put right resolves as remediated.
        for address in drifted.sorted() where result.succeeded[address] != nil {
            do {
                try await state.resolveFindings(address: address.description, resolution: .remediated, at: clock())
            } catch {
                problems.append("resolving the drift findings of \(address): \(Engine.describe(error))")
            }
        }
        if !plan.outputSpecs.isEmpty || plan.outputs.contains(where: { $0.action == .delete }) {
            do {
                let outputs = try await outputsAfterApply(plan, values: await progress.values(of: plan.outputSpecs.flatMap(\.dependencies)))
                if try await state.outputs() != outputs { try await state.replaceOutputs(outputs) }
                result.outputs = outputs
            } catch {
                problems.append("recording the outputs: \(Engine.describe(error))")
            }
        }
        result.version = version
        let outcome = result.wasCancelled ? "cancelled" : (result.hasFailures || !problems.isEmpty ? "failed" : "succeeded")
        do {
            try await state.finishRun(runID, outcome: outcome, counts: result.counts, at: clock())
        } catch {
            problems.append("recording the run's outcome: \(Engine.describe(error))")
        }
        guard problems.isEmpty else {
            throw EngineError(.state, problems.map { Diagnostic(.error, "apply finished, but state could not be written: \($0)") })
        }
        return result
    }

    /// The error of an apply stopped by a damaged state database: what is wrong, what was done, what was not.
    static func stoppedError(_ damage: StateError, result: ApplyResult) -> EngineError {
        let done = result.succeeded.count
        let notDone = result.failed.count + result.skipped.count
        return EngineError(.state, [Diagnostic(
            .error, "apply stopped at once: \(damage.message)",
            detail: "Nothing more was sent to providers or written to state: \(done) operation\(done == 1 ? "" : "s") "
                + "finished and recorded before the damage was found, \(notDone) failed or were not started. Once the "
                + "state is restored, run tend plan to see what is left to do.")])
    }

    /// Walks one phase. Nodes that already failed in an earlier phase fail again here, so their dependents skip.
    /// Data sources in `reads` (forward phases only) are nodes of the walk too, read by `read`.
    private func walk(_ changes: [ResourceChange], reads: [DataSourceSpec] = [], reverse: Bool, parallelism: Int,
                      state: ApplyState, records: AddressIndex<ResourceRecord>, specs: AddressIndex<ResourceSpec>,
                      _ visit: @escaping @Sendable (ResourceChange) async -> Bool,
                      read: @escaping @Sendable (DataSourceSpec) async -> Bool = { _ in false }) async {
        guard !changes.isEmpty || !reads.isEmpty else { return }
        let byAddress = AddressIndex(changes, address: \.address)
        let readByAddress = Dictionary(reads.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        func isNode(_ address: ResourceAddress) -> Bool { byAddress[address] != nil || readByAddress[address] != nil }
        var graph = Graph<ResourceAddress>()
        var nodes: [(address: ResourceAddress, dependencies: [ResourceAddress])] = changes.map { change in
            (change.address, Array(Set(specs[change.address]?.dependencies ?? []).union(records[change.address]?.dependencies ?? [])))
        }
        nodes += reads.map { ($0.address, $0.dependencies) }
        for node in nodes {
            graph.add(node.address)
            for dependency in node.dependencies where isNode(dependency) && dependency != node.address {
                if reverse { graph.add(dependency, dependsOn: node.address) } else { graph.add(node.address, dependsOn: dependency) }
            }
        }
        // Dependencies that failed in an earlier phase block their dependents here too.
        for node in nodes where !reverse {
            let declared = specs[node.address]?.dependencies ?? readByAddress[node.address]?.dependencies ?? []
            for dependency in declared where !isNode(dependency) {
                if await state.hasFailed(dependency) { graph.add(node.address, dependsOn: dependency) }
            }
        }
        let outcomes = await graph.walk(parallelism: parallelism) { address in
            guard byAddress[address] != nil || readByAddress[address] != nil else { return false }   // failed earlier
            if await state.hasFailed(address) { return false }
            if await state.isStopped {   // the state database is damaged: nothing more is started
                await state.skip(address)
                return false
            }
            if let spec = readByAddress[address] { return await read(spec) }
            guard let change = byAddress[address] else { return false }
            return await visit(change)
        }
        for (address, outcome) in outcomes where outcome == .skipped || outcome == .cancelled {
            if isNode(address) { await state.skip(address) }
            if outcome == .cancelled { await state.markCancelled() }
        }
    }
}
