import Foundation
import ProviderKit
import TendModel
import TendState

extension Engine {
    /// Brings an object that exists outside tend under management at a declared address (the caller holds the
    /// lock): the provider reads it by id with no prior, and state records it in one transaction with its history
    /// entry and audit row. The next plan shows how it differs from the configuration.
    public func importObject(_ address: ResourceAddress, id: String, specs: [ResourceSpec], dataSources: [DataSourceSpec] = [],
                             settings: PlanSettings) async throws -> ResourceRecord {
        guard let spec = specs.first(where: { $0.address == address }) else {
            throw EngineError(.planFailed, [Diagnostic(.error, "\(address) is not declared in the configuration",
                                                       detail: "Declare the resource first, then import the object into it.",
                                                       address: address.description)])
        }
        do {
            if let existing = try await state.resource(address) {
                throw EngineError(.planFailed, [Diagnostic(.error, "\(address) already manages \(existing.id.isEmpty ? "an object" : existing.id)",
                                                           detail: "Remove it from state with tend state rm first to import another object.",
                                                           address: address.description)])
            }
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
        let (provider, schema) = try resolve(type: spec.type, address: address)
        try await configureProviders(forTypes: [spec.type], settings: settings)
        let context = context(for: spec.provider, settings: settings)
        guard let imported = try await retry.run({
            try await provider.importedObject(type: spec.type, id: id, context: context)
        }) else {
            throw EngineError(.planFailed, [Diagnostic(.error, "no \(spec.type) with id \(id) exists", address: address.description)])
        }
        let attributes = imported.attributes
        var record = ResourceRecord(address: address, type: spec.type, provider: spec.provider, id: id, attributes: attributes,
                                    sensitivePaths: schema.sensitivePaths,
                                    dependencies: Engine.recordedDependencies(spec.dependencies, dataSources: dataSources),
                                    schemaVersion: schema.version, status: .created, updatedAt: clock())
        record.privateData = imported.privateData
        do {
            let version = try await state.advanceSerial(from: try await state.initialize())
            let runID = try await state.beginRun(kind: "import", at: clock(), actor: actor)
            let history = HistoryEntry(serial: version.serial, runID: runID, address: address, action: "import", before: nil,
                                       after: Redaction.redact(attributes, schema: schema, paths: record.sensitivePaths), at: clock())
            try await state.put(record, history: history,
                          audit: AuditDraft(who: actor, action: "import", target: address.description, result: "ok: \(id)", at: clock()))
            try await state.finishRun(runID, outcome: "succeeded", counts: ["imported": 1], at: clock())
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
        return record
    }
}
