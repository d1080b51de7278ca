import Foundation
import ProviderKit
import TendModel
import TendState

extension ApplyStep {
    /// Settles creates a crash left pending: adopts the object when the provider finds it, forgets the intent when
    /// it is certainly absent. A resource whose lookup fails keeps its intent and fails (its dependents skip).
    func settlePending() async {
        let pending = records.elements.filter { $0.status == .createPending }.sorted(by: { $0.address < $1.address })
        guard !pending.isEmpty else { return }
        let hints: [ResourceAddress: [String: Value]]
        do {
            hints = Engine.recoveryHints(records: try await stored.resources(), specs: { specs[$0] })
        } catch {
            for summary in pending { _ = await failed(summary.address, "recover", error, since: engine.clock()) }
            return
        }
        for summary in pending {
            let address = summary.address
            let started = engine.clock()
            do {
                let (provider, schema) = try engine.resolve(type: summary.type, address: address)
                let record = try await stored.resource(address) ?? summary
                let context = engine.context(for: record.provider, settings: settings)
                let hint = hints[address] ?? Engine.providerInput(changes[address]?.after ?? [:], schema: schema)
                let deposed = Set(try await stored.deposedObjects().filter { $0.address == address }.map(\.id))
                let found = try await engine.retry.run {
                    try await provider.recover(type: record.type, address: address, desired: hint, excluding: deposed,
                                               context: context)
                }
                guard let found else {
                    try await stored.remove(address, history: nil)
                    await state.record(address, id: nil, attributes: nil)
                    continue
                }
                var adopted = record
                adopted.id = found.id
                adopted.attributes = found.attributes
                adopted.privateData = found.privateData
                adopted.status = .created
                adopted.sensitivePaths = SensitiveMarks(record.sensitivePaths + Redaction.paths(schema, specs[address])).paths
                adopted.updatedAt = engine.clock()
                try await stored.put(adopted, history: history(address, "adopt", before: nil, after: found.attributes, schema: schema,
                                                        sensitive: record.sensitivePaths),
                              audit: auditDraft("adopt", address, "ok"))
                await state.record(address, id: found.id, attributes: found.attributes)
                engine.output.progress("  \(address): adopted \(found.id), left by an interrupted create")
            } catch {
                _ = await failed(address, "recover", error, since: started)
            }
        }
    }

    /// Creates an object. A transient failure after the request may have been processed (a timeout, a reset, a
    /// 5xx) leaves its outcome unknown: before anything else is sent, the object is looked up by its address, and
    /// adopted when found (updated when it differs from the plan); only when it is certainly absent is the create
    /// sent again. Attempts are bounded by the retry policy. A lookup that fails ends it with `.unresolvedCreate`.
    func createSettlingOutcome(address: ResourceAddress, type: String, input: [String: Value], provider: any ResourceProvider,
                               context: ProviderContext) async throws -> CreatedObject {
        var attempt = 0
        while true {
            do {
                return try await provider.create(type: type, address: address, desired: input, context: context)
            } catch let error as ProviderError where error.isTransient && attempt < engine.retry.maxRetries {
                attempt += 1
                engine.retry.counter?.increment()
                let seconds = engine.retry.delay(attempt: attempt, retryAfter: error.retryAfter)
                try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                guard !error.wasNotSent else { continue }
                let found: CreatedObject?
                do {
                    found = try await lookUpCreated(address, type: type, input: input, provider: provider, context: context)
                } catch let lookupError {
                    throw EngineError(.unresolvedCreate, "\(address): create of \(type) got no answer (\(Engine.describe(error))), "
                                      + "and looking for the object failed: \(Engine.describe(lookupError)); its intent stays, "
                                      + "and the next run looks again before creating")
                }
                if let found {
                    engine.output.progress("  \(address): found \(found.id), created by an attempt whose answer was lost")
                    return try await converge(found, address: address, type: type, input: input, provider: provider, context: context)
                }
            }
        }
    }

    /// The object a create at `address` may have made, never the object it replaces (create_before_destroy); nil
    /// when it certainly does not exist. Lookups retry like any read.
    func lookUpCreated(_ address: ResourceAddress, type: String, input: [String: Value], provider: any ResourceProvider,
                       context: ProviderContext) async throws -> CreatedObject? {
        let replaced = await state.deposedObject(address).map { Set([$0.id]) } ?? []
        return try await engine.retry.run {
            try await provider.recover(type: type, address: address, desired: input, excluding: replaced, context: context)
        }
    }

    /// An adopted object brought to the planned values when it differs from them.
    private func converge(_ found: CreatedObject, address: ResourceAddress, type: String, input: [String: Value],
                          provider: any ResourceProvider, context: ProviderContext) async throws -> CreatedObject {
        guard let schema = provider.schema(for: type),
              Engine.inconsistentKey(planned: input, actual: found.attributes, schema: schema) != nil else { return found }
        var context = context
        context.privateData = found.privateData ?? context.privateData
        return try await engine.retry.run { [context] in
            try await provider.updateObject(type: type, id: found.id, current: found.attributes, desired: input, context: context)
        }
    }
}
