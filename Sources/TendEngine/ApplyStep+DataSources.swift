import Foundation
import ProviderKit
import TendModel

extension ApplyStep {
    /// Reads a data source the plan left to apply, from the values apply produced so far, and keeps its result for
    /// what refers to it. Nothing is written to state: a data source is read again every run.
    func read(_ spec: DataSourceSpec) async -> Bool {
        let started = engine.clock()
        let values = await state.values(of: spec.dependencies)
        let config = spec.configuration(values: values)
        do {
            if let key = config.keys.sorted().first(where: { config[$0]?.containsUnknown == true }) {
                throw EngineError(.planFailed, "\"\(key)\" refers to a value that is still unknown")
            }
            let (provider, _) = try engine.resolveData(spec)
            let context = engine.context(for: provider.name, settings: settings)
            // Configured once per run: a saved plan's apply has not configured the provider yet.
            if let refused = await engine.session.configure([(provider, context)])[provider.name] {
                throw EngineError(.planFailed, "configuring provider \(provider.name): \(refused)")
            }
            try await checkNotStopped()
            let result = try await engine.readData(spec, config: config, settings: settings)
            await state.record(spec.address, id: nil, attributes: result)
            report("<=", spec.address, "read", since: started)
            return true
        } catch {
            let message = Redaction.scrub(Engine.describe(error), attributes: [config],   // sensitivity: no secret in errors
                                          paths: spec.sensitivePaths)
            await state.fail(spec.address, message)
            engine.output.progress("! \(spec.address): read failed after \(Engine.elapsed(since: started, now: engine.clock())): "
                                   + message)
            return false
        }
    }
}
