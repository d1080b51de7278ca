import Foundation
import ProviderKit
import TendModel
import TendState

/// The operations of one apply, each writing its resource's state in its own transaction.
struct ApplyStep: Sendable {
    let engine: Engine
    let settings: PlanSettings
    let serial: Int
    let runID: Int64
    let state: ApplyState
    let specs: [ResourceAddress: ResourceSpec]
    let changes: [ResourceAddress: ResourceChange]
    let records: [ResourceAddress: ResourceRecord]

    private var store: any StateStore { engine.store }

    /// Settles creates a crash left pending: adopts the object when the provider finds it, else forgets the intent.
    func settlePending(plan: Plan) async throws {
        for record in records.values.sorted(by: { $0.address < $1.address }) where record.status == .createPending {
            guard let (provider, schema) = try? engine.resolve(type: record.type, address: record.address) else { continue }
            let context = engine.context(for: record.provider, settings: settings)
            let desired = specs[record.address].map { Engine.evaluate($0, values: [:]) } ?? [:]
            let found = try? await engine.retry.run {
                try await provider.recover(type: record.type, address: record.address, desired: desired, context: context)
            }
            do {
                if let found {
                    var adopted = record
                    adopted.id = found.id
                    adopted.attributes = found.attributes
                    adopted.status = .created
                    adopted.sensitivePaths = Redaction.paths(schema, specs[record.address])   // sensitivity
                    adopted.updatedAt = engine.clock()
                    try store.put(adopted, history: history(record.address, "adopt", before: nil, after: found.attributes,
                                                            paths: adopted.sensitivePaths))
                    await state.record(record.address, id: found.id, attributes: found.attributes)
                    engine.output.progress("  \(record.address): adopted \(found.id), left by an interrupted create")
                    audit("adopt", record.address, "ok")
                } else {
                    try store.remove(record.address, history: nil)
                    await state.record(record.address, id: nil, attributes: nil)
                }
            } catch {
                throw EngineError(.state, Engine.describe(error))
            }
        }
    }

    /// Deletes one object (or the old half of a create-before-destroy replacement).
    func delete(_ change: ResourceChange, deposed: Bool) async -> Bool {
        let address = change.address
        let started = engine.clock()
        do {
            let (provider, schema) = try engine.resolve(type: change.type, address: address)
            let context = engine.context(for: change.provider, settings: settings)
            let old = deposed ? await state.deposedObject(address) : nil
            let id = deposed ? old?.id : await state.id(of: address)
            let current = deposed ? (old?.attributes ?? [:]) : (change.before ?? [:])
            if let id, !id.isEmpty {
                try await engine.retry.run {
                    try await provider.delete(type: change.type, id: id, current: current, context: context)
                }
            }
            if !deposed {
                try store.remove(address, history: history(address, "delete", before: current, after: nil,
                                                           paths: Redaction.paths(schema, nil) + change.sensitivePaths),
                                 audit: auditDraft("delete", address, "ok"))
                await state.record(address, id: nil, attributes: nil)
            } else {
                audit("delete", address, "ok")
            }
            if change.action == .delete { await state.succeed(address, .delete) }
            if deposed { await state.succeed(address, change.action) }
            report("-", address, deposed ? "old object destroyed" : "destroyed", since: started)
            return true
        } catch {
            return await failed(address, "delete", error, since: started)
        }
    }

    /// Creates or updates one object, resolving references against what apply has produced so far.
    func createOrUpdate(_ change: ResourceChange) async -> Bool {
        let address = change.address
        let started = engine.clock()
        do {
            guard let spec = specs[address] else {
                throw EngineError(.planFailed, "\(address) is not in the plan's configuration")
            }
            let (provider, schema) = try engine.resolve(type: spec.type, address: address)
            let context = engine.context(for: spec.provider, settings: settings)
            let values = await state.values(of: spec.properties.values.flatMap(\.references).map(\.address))
            let desired = Engine.evaluate(spec, values: values)
            if let unresolved = spec.properties.keys.sorted().first(where: { desired[$0]?.containsUnknown == true }) {
                throw EngineError(.planFailed, "\(address): \"\(unresolved)\" refers to a value that is still unknown")
            }
            let planned = try await provider.plan(type: spec.type, desired: desired, context: context)
            if change.action == .update, let id = await state.id(of: address) {
                let current = change.before ?? [:]
                let after = try await engine.retry.run {
                    try await provider.update(type: spec.type, id: id, current: current, desired: planned, context: context)
                }
                try write(spec, schema: schema, id: id, attributes: after, action: "update", before: current)
                await state.record(address, id: id, attributes: after)
                await state.succeed(address, .update)
                report("~", address, "updated", since: started)
                return true
            }
            if change.action == .createThenDelete, let id = await state.id(of: address) {
                await state.depose(address, id: id, attributes: change.before ?? [:])
            }
            // The intent carries no attributes: recovery looks the object up by address and desired values from the spec.
            let pending = ResourceRecord(address: address, type: spec.type, provider: spec.provider, id: "", attributes: [:],
                                         sensitivePaths: Redaction.paths(schema, spec), dependencies: spec.dependencies,
                                         schemaVersion: schema.version, status: .createPending, updatedAt: engine.clock())
            if change.action != .createThenDelete {
                try store.put(pending, history: nil)
            }
            let created: CreatedObject
            do {
                created = try await engine.retry.run {
                    try await provider.create(type: spec.type, address: address, desired: planned, context: context)
                }
            } catch let error as ProviderError where (!error.isTransient || error.wasNotSent) && change.action != .createThenDelete {
                // The provider said no, or the request never left: nothing was created, so the intent goes. A
                // timeout keeps it, and the next run looks for the object before creating again.
                try? store.remove(address, history: nil)
                throw error
            }
            try write(spec, schema: schema, id: created.id, attributes: created.attributes, action: "create", before: nil)
            await state.record(address, id: created.id, attributes: created.attributes)
            if change.action == .create { await state.succeed(address, .create) }
            if change.action == .deleteThenCreate { await state.succeed(address, .deleteThenCreate) }
            report("+", address, change.action.isReplace ? "replaced" : "created", since: started, id: created.id)
            return true
        } catch {
            return await failed(address, change.action == .update ? "update" : "create", error, since: started)
        }
    }

    /// Writes refreshed attributes of unchanged resources whose recorded values drifted (in attributes the
    /// configuration does not set, or ignores), so state matches what exists.
    func refreshUnchanged(_ unchanged: [ResourceChange]) async {
        for change in unchanged {
            guard let observed = change.before, let record = try? store.resource(change.address),
                  record.attributes != observed, record.status == .created else { continue }
            var updated = record
            updated.attributes = observed
            updated.updatedAt = engine.clock()
            try? store.put(updated, history: nil)
        }
    }

    private func write(_ spec: ResourceSpec, schema: ResourceSchema, id: String, attributes: [String: Value],
                       action: String, before: [String: Value]?) throws {
        let record = ResourceRecord(address: spec.address, type: spec.type, provider: spec.provider, id: id, attributes: attributes,
                                    sensitivePaths: Redaction.paths(schema, spec), dependencies: spec.dependencies,
                                    schemaVersion: schema.version, status: .created, updatedAt: engine.clock())
        try store.put(record, history: history(spec.address, action, before: before, after: attributes,
                                               paths: record.sensitivePaths + (changes[spec.address]?.sensitivePaths ?? [])),
                      audit: auditDraft(action, spec.address, "ok"))
    }

    private func history(_ address: ResourceAddress, _ action: String, before: [String: Value]?, after: [String: Value]?,
                         paths: [AttributePath]) -> HistoryEntry {
        HistoryEntry(serial: serial, runID: runID, address: address, action: action,
                     before: before.map { Redaction.redact($0, paths: paths) },
                     after: after.map { Redaction.redact($0, paths: paths) }, at: engine.clock())
    }

    private func failed(_ address: ResourceAddress, _ verb: String, _ error: Error, since started: Date) async -> Bool {
        let change = changes[address]   // sensitivity: an error quoting a sensitive value shows the marker instead
        let message = Redaction.scrub(Engine.describe(error), attributes: [change?.before, change?.after],
                                      paths: (change?.sensitivePaths ?? []) + (specs[address]?.sensitivePaths ?? []))
        await state.fail(address, message)
        engine.output.progress("! \(address): \(verb) failed after \(Engine.elapsed(since: started, now: engine.clock())): \(message)")
        audit(verb, address, "failed: \(message)")
        return false
    }

    private func report(_ symbol: String, _ address: ResourceAddress, _ what: String, since started: Date, id: String? = nil) {
        let suffix = id.map { " [id=\($0)]" } ?? ""
        engine.output.progress("\(symbol) \(address): \(what) in \(Engine.elapsed(since: started, now: engine.clock()))\(suffix)")
    }

    private func auditDraft(_ action: String, _ address: ResourceAddress, _ result: String) -> AuditDraft {
        AuditDraft(who: engine.actor, action: action, target: address.description, result: result, at: engine.clock())
    }

    private func audit(_ action: String, _ address: ResourceAddress, _ result: String) {
        try? store.appendAudit(who: engine.actor, action: action, target: address.description, result: result, at: engine.clock())
    }
}

extension Engine {
    /// Seconds with one decimal: `0.3s`.
    static func elapsed(since start: Date, now: Date) -> String {
        String(format: "%.1fs", max(0, now.timeIntervalSince(start)))
    }
}
