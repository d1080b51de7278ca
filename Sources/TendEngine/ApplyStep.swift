import Foundation
import ProviderKit
import TendModel
import TendState

/// The operations of one apply, each writing its resource's state in its own transaction.
///
/// Apply executes the plan: creates and updates hand the provider the planned values (`change.after`), never a
/// fresh evaluation of the configuration. Only values the plan marked unknown are worked out here, from what
/// apply produced so far, and the result must agree with every value the plan did know.
struct ApplyStep: Sendable {
    let engine: Engine
    let settings: PlanSettings
    let serial: Int
    let runID: Int64
    let state: ApplyState
    let specs: AddressIndex<ResourceSpec>
    let changes: AddressIndex<ResourceChange>
    let records: AddressIndex<ResourceRecord>
    /// The plan's data sources, for the dependencies records keep (`Engine.recordedDependencies`).
    var dataSources: [DataSourceSpec] = []

    var stored: StackState { engine.state }

    /// Deletes one object: a resource's current object, or (`deposed`) the old half of a create_before_destroy
    /// replacement made in this run.
    func delete(_ change: ResourceChange, deposed: Bool) async -> Bool {
        let address = change.address
        let started = engine.clock()
        do {
            let (provider, schema) = try engine.resolve(type: change.type, address: address)
            var context = engine.context(for: change.provider, settings: settings)
            if deposed {
                context.privateData = records[address]?.privateData   // the old object's, recorded before this run
                guard let old = await state.deposedObject(address) else {
                    // The replacement was never created, so the old object was never deposed: nothing to delete.
                    return await state.hasFailed(address) ? false : true
                }
                try await deleteDeposed(address, type: change.type, id: old.id, attributes: old.attributes,
                                        provider: provider, schema: schema, context: context)
                await state.succeed(address, change.action)
                report("-", address, "old object destroyed", since: started)
                return true
            }
            let id = await state.id(of: address)
            let current = change.before ?? [:]
            context.privateData = records[address]?.privateData
            if let id, !id.isEmpty {
                try await checkNotStopped()
                try await engine.retry.run { [context] in
                    try await provider.delete(type: change.type, id: id, current: current, context: context)
                }
            }
            try await stored.remove(address, history: history(address, "delete", before: current, after: nil, schema: schema,
                                                       sensitive: change.sensitivePaths),
                             audit: auditDraft("delete", address, "ok"))
            await state.record(address, id: nil, attributes: nil)
            if change.action == .delete { await state.succeed(address, .delete) }
            report("-", address, "destroyed", since: started)
            return true
        } catch {
            return await failed(address, "delete", error, since: started)
        }
    }

    /// Deletes a deposed object recorded by an earlier run (its delete failed or was interrupted).
    func deleteDeposed(_ change: ResourceChange) async -> Bool {
        let started = engine.clock()
        guard let id = change.deposedID else { return true }
        do {
            let (provider, schema) = try engine.resolve(type: change.type, address: change.address)
            var context = engine.context(for: change.provider, settings: settings)
            context.privateData = change.plannedPrivate
            try await deleteDeposed(change.address, type: change.type, id: id, attributes: change.before ?? [:],
                                    provider: provider, schema: schema, context: context)
            report("-", change.address, "deposed object \(id) destroyed", since: started)
            return true
        } catch {
            return await failed(change.address, "delete", error, since: started)
        }
    }

    private func deleteDeposed(_ address: ResourceAddress, type: String, id: String, attributes: [String: Value],
                               provider: any ResourceProvider, schema: ResourceSchema, context: ProviderContext) async throws {
        try await checkNotStopped()
        try await engine.retry.run {
            try await provider.delete(type: type, id: id, current: attributes, context: context)
        }
        try await stored.removeDeposed(address, id: id,
                                history: history(address, "delete-deposed", before: attributes, after: nil, schema: schema,
                                                 sensitive: changes[address]?.sensitivePaths ?? schema.sensitivePaths),
                                audit: auditDraft("delete-deposed", address, "ok"))
    }

    /// Creates or updates one object with its planned values.
    func createOrUpdate(_ change: ResourceChange) async -> Bool {
        let address = change.address
        let started = engine.clock()
        do {
            guard let spec = specs[address] else {
                throw EngineError(.planFailed, "\(address) is not in the plan's configuration")
            }
            let (provider, schema) = try engine.resolve(type: change.type, address: address)
            var context = engine.context(for: change.provider, settings: settings)
            let after = try await plannedAfter(change, spec: spec, schema: schema, provider: provider, context: context)
            let input = Engine.providerInput(after, schema: schema)
            context.privateData = await state.replannedPrivateData(of: address) ?? change.plannedPrivate
            context.declared = schema.typed(Engine.evaluate(spec, values: await state.values(of: spec.dependencies)))
            if change.action == .update, let id = await state.id(of: address) {
                let current = change.before ?? [:]
                context.privateData = context.privateData ?? records[address]?.privateData
                try await checkNotStopped()
                let updated = try await engine.retry.run { [context] in
                    try await provider.updateObject(type: change.type, id: id, current: current, desired: input, context: context)
                }
                try await write(change, spec: spec, schema: schema, id: id, attributes: updated.attributes, action: "update",
                          before: current, privateData: updated.privateData)
                await state.record(address, id: id, attributes: updated.attributes)
                try checkResult(updated.attributes, planned: input, address: address, schema: schema)
                await state.succeed(address, .update)
                report("~", address, "updated", since: started)
                return true
            }
            let created = try await create(change, spec: spec, schema: schema, input: input, provider: provider, context: context)
            try await write(change, spec: spec, schema: schema, id: created.id, attributes: created.attributes, action: "create", before: nil,
                      privateData: created.privateData)
            await state.record(address, id: created.id, attributes: created.attributes)
            try checkResult(created.attributes, planned: input, address: address, schema: schema)
            if change.action == .create { await state.succeed(address, .create) }
            if change.action == .deleteThenCreate { await state.succeed(address, .deleteThenCreate) }
            // An id made of a sensitive value (a file path built from a secret) is shown as the marker.
            let shownID = Redaction.scrub(created.id, attributes: [created.attributes, input], paths: change.sensitivePaths)
            report("+", address, change.action.isReplace ? "replaced" : "created", since: started, id: shownID)
            return true
        } catch {
            return await failed(address, change.action == .update ? "update" : "create", error, since: started)
        }
    }

    /// Records the create's intent (deposing the old object of a create_before_destroy replacement in the same
    /// transaction), then creates, settling a lost answer before anything is sent again.
    private func create(_ change: ResourceChange, spec: ResourceSpec, schema: ResourceSchema, input: [String: Value],
                        provider: any ResourceProvider, context: ProviderContext) async throws -> CreatedObject {
        let address = change.address
        // The intent carries the planned values: recovery needs the object's identity, never the configuration.
        let intent = ResourceRecord(address: address, type: change.type, provider: change.provider, id: "", attributes: input,
                                    sensitivePaths: change.sensitivePaths, dependencies: recordedDependencies(spec),
                                    schemaVersion: schema.version, status: .createPending, updatedAt: engine.clock())
        var context = context
        if change.action == .createThenDelete, let id = await state.id(of: address) {
            try await stored.depose(address, intent: intent)
            await state.depose(address, id: id, attributes: change.before ?? [:])
            context.replacing = [id]   // the old object carries the same address: never take it for the new one
        } else {
            try await stored.put(intent, history: nil)
        }
        try await checkNotStopped()
        do {
            return try await createSettlingOutcome(address: address, type: change.type, input: input, provider: provider,
                                                   context: context)
        } catch let error as ProviderError where error.wasNotSent {
            // Nothing the create sent changed anything (and any earlier lost answer was settled as "nothing was
            // created"): the intent goes.
            try await stored.remove(address, history: nil)
            throw error
        } catch let error as ProviderError where !error.isTransient {
            // Refused, but maybe after a first step made the object (a group created, then a rule rejected): look.
            try await settleRefusedCreate(change, spec: spec, schema: schema, input: input, provider: provider, context: context)
            throw error
        }
    }

    /// After a create was refused part-way: records the object when it exists (the resource still fails, and the next
    /// plan shows what differs), forgets the intent when it certainly does not, keeps it when the lookup fails.
    private func settleRefusedCreate(_ change: ResourceChange, spec: ResourceSpec, schema: ResourceSchema, input: [String: Value],
                                     provider: any ResourceProvider, context: ProviderContext) async throws {
        let address = change.address
        let found: CreatedObject?
        do {
            found = try await lookUpCreated(address, type: change.type, input: input, provider: provider, context: context)
        } catch {
            throw EngineError(.unresolvedCreate, "\(address): create of \(change.type) was refused, and looking for what it may "
                              + "have made failed: \(Engine.describe(error)); its intent stays, and the next run looks again")
        }
        guard let found else {
            try await stored.remove(address, history: nil)
            return
        }
        try await write(change, spec: spec, schema: schema, id: found.id, attributes: found.attributes, action: "create", before: nil)
        await state.record(address, id: found.id, attributes: found.attributes)
    }

    /// Writes refreshed attributes of unchanged resources whose recorded values drifted (in attributes the
    /// configuration does not set, or ignores), so state matches what exists.
    func refreshUnchanged(_ unchanged: [ResourceChange]) async throws {
        for change in unchanged {
            guard let observed = change.before, let record = try await stored.resource(change.address),
                  record.attributes != observed, record.status == .created else { continue }
            var updated = record
            updated.attributes = observed
            updated.updatedAt = engine.clock()
            try await stored.put(updated, history: nil)
        }
    }

    func write(_ change: ResourceChange, spec: ResourceSpec, schema: ResourceSchema, id: String, attributes: [String: Value],
               action: String, before: [String: Value]?, privateData: String? = nil) async throws {
        let record = ResourceRecord(address: change.address, type: change.type, provider: change.provider, id: id,
                                    attributes: attributes, sensitivePaths: change.sensitivePaths, dependencies: recordedDependencies(spec),
                                    schemaVersion: schema.version, status: .created, updatedAt: engine.clock(),
                                    privateData: privateData)
        try await stored.put(record, history: history(change.address, action, before: before, after: attributes, schema: schema,
                                               sensitive: change.sensitivePaths),
                      audit: auditDraft(action, change.address, "ok"))
    }

    /// What a record of `spec` keeps as its dependencies: resources only.
    func recordedDependencies(_ spec: ResourceSpec) -> [ResourceAddress] {
        Engine.recordedDependencies(spec.dependencies, dataSources: dataSources)
    }

    func history(_ address: ResourceAddress, _ action: String, before: [String: Value]?, after: [String: Value]?,
                 schema: ResourceSchema, sensitive: [AttributePath]) -> HistoryEntry {
        HistoryEntry(serial: serial, runID: runID, address: address, action: action,
                     before: before.map { Redaction.redact($0, schema: schema, paths: sensitive) },
                     after: after.map { Redaction.redact($0, schema: schema, paths: sensitive) }, at: engine.clock())
    }

    func failed(_ address: ResourceAddress, _ verb: String, _ error: Error, since started: Date) async -> Bool {
        let change = changes[address]   // sensitivity: an error quoting a sensitive value shows the marker instead
        let message = Redaction.scrub(Engine.describe(error), attributes: [change?.before, change?.after],
                                      paths: (change?.sensitivePaths ?? []) + (specs[address]?.sensitivePaths ?? []))
        await state.fail(address, message)
        engine.output.progress("! \(address): \(verb) failed after \(Engine.elapsed(since: started, now: engine.clock())): \(message)")
        if let stateError = error as? StateError, stateError.stopsWriting {
            // The state database is damaged: stop at once, and write no audit row to it.
            await state.stop(stateError)
            return false
        }
        await audit(verb, address, "failed: \(message)")
        return false
    }

    /// Throws when the apply was stopped by a damaged state database: called before anything is sent to a provider.
    func checkNotStopped() async throws {
        if let error = await state.stoppingError { throw error }
    }

    func report(_ symbol: String, _ address: ResourceAddress, _ what: String, since started: Date, id: String? = nil) {
        let suffix = id.map { " [id=\($0)]" } ?? ""
        engine.output.progress("\(symbol) \(address): \(what) in \(Engine.elapsed(since: started, now: engine.clock()))\(suffix)")
    }

    func auditDraft(_ action: String, _ address: ResourceAddress, _ result: String) -> AuditDraft {
        AuditDraft(who: engine.actor, action: action, target: address.description, result: result, at: engine.clock())
    }

    /// Appends an audit row on its own; a failure to write it is reported, never dropped.
    func audit(_ action: String, _ address: ResourceAddress, _ result: String) async {
        do {
            try await stored.appendAudit(who: engine.actor, action: action, target: address.description, result: result, at: engine.clock())
        } catch {
            engine.output.progress("! \(address): could not write the audit row for \(action): \(Engine.describe(error))")
        }
    }
}

extension Engine {
    /// Seconds with one decimal: `0.3s`.
    static func elapsed(since start: Date, now: Date) -> String {
        String(format: "%.1fs", max(0, now.timeIntervalSince(start)))
    }
}
