import Foundation
import TendConfig
import TendModel
import TendState

/// The stack id, and the edits of state made by hand. Commands go through these: the CLI never writes state itself.
extension Engine {
    // MARK: Stack id

    /// The settings a run of `configuration` plans and applies with. Reads state, writes nothing (plan uses it too).
    ///
    /// The stack id is, in order: the manifest's `stack:`; the id recorded with the state; for a state written before
    /// ids were recorded, the configuration directory's name (what its objects were tagged with); for no state at all,
    /// a new random id. That last one is only proposed: the run that writes state records it (`recordStack(_:)`)
    /// before its first write, and tags with it, so a plan and the apply that follows agree. A plain `tend apply`
    /// works the settings out again under the lock; `tend apply FILE` uses the ones saved with the plan.
    /// - Parameter absoluteDirectory: `configuration.directory`, made absolute.
    public func settings(for configuration: Configuration, absoluteDirectory: String) async throws -> PlanSettings {
        let (stack, recorded) = try await stackIdentity(declared: configuration.stack,
                                                  directoryName: ConfigLoader.directoryStackName(configuration.directory))
        return PlanSettings(directory: absoluteDirectory, stack: stack, providers: configuration.providers,
                            recordedStack: recorded)
    }

    /// The stack id to use (see `settings(for:absoluteDirectory:)`) and the one the state has recorded, if any.
    public func stackIdentity(declared: String?, directoryName: String) async throws -> (stack: String, recorded: String?) {
        do {
            let recorded = try await state.stackID()
            if let declared { return (declared, recorded) }
            if let recorded { return (recorded, recorded) }
            if try await state.version() != nil { return (directoryName, nil) }
            return (UUID().uuidString.lowercased(), nil)
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
    }

    /// Records the stack id of `settings` with the state before a run's first write, creating the state when there
    /// is none; the caller holds the lock. A declared id replaces a recorded one. Refuses (stale plan) when the state
    /// recorded another id since the settings were worked out, so a run never tags with an id state does not keep.
    public func recordStack(_ settings: PlanSettings) async throws {
        let current: String?
        do { current = try await state.stackID() } catch { throw EngineError(.state, Engine.describe(error)) }
        if current == settings.stack { return }
        guard current == settings.recordedStack else {
            throw EngineError(.stalePlan, [Diagnostic(
                .error, "the state's stack id is now \(current ?? "unrecorded"), not \(settings.recordedStack ?? "unrecorded") "
                    + "as when this run's plan was made",
                detail: "Run tend plan again.")])
        }
        if let current {
            output.progress("Stack id changes from \(current) to \(settings.stack), as the manifest declares; "
                + "objects created under \(current) are no longer found by crash recovery.")
        }
        do {
            try await state.recordStackID(settings.stack)
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
    }

    /// Records the stack id of a state written before ids were recorded, on its first use under the lock (even by
    /// a run that then changes nothing), so its objects stay found after the directory moves. Does nothing for a
    /// state that has an id, or no state at all.
    public func adoptLegacyStack(_ settings: PlanSettings) async throws {
        guard settings.recordedStack == nil else { return }
        let isLegacy: Bool
        do {
            let hasState = try await state.version() != nil
            let recorded = hasState ? try await state.stackID() : nil
            isLegacy = hasState && recorded == nil
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
        if isLegacy { try await recordStack(settings) }
    }

    // MARK: Edits by hand

    /// `tend state mv`: gives a managed resource a new address, under the lock, in one state transaction.
    @discardableResult
    public func moveResource(from source: ResourceAddress, to destination: ResourceAddress) async throws -> StateVersion {
        try await withLock(operation: "state mv") {
            try await stateEdit {
                try await state.move(from: source, to: destination, audit: audit("state mv", target: "\(source) -> \(destination)"))
            }
        }
    }

    /// `tend state rm`: forgets a resource without touching the object, under the lock, in one state transaction.
    @discardableResult
    public func forgetResource(_ address: ResourceAddress) async throws -> StateVersion {
        try await withLock(operation: "state rm") {
            try await stateEdit { try await state.forget(address, audit: audit("state rm", target: address.description)) }
        }
    }

    /// `tend drift accept`: under the lock, records the stack id, observes the object and accepts it as the applied
    /// state in one state transaction (see `accept(_:specs:settings:)`). Returns the paths the manifest still
    /// declares differently.
    public func acceptDrift(_ address: ResourceAddress, specs: [ResourceSpec], settings: PlanSettings) async throws -> [AttributePath] {
        try await withLock(operation: "drift accept") {
            try await recordStack(settings)
            return try await accept(address, specs: specs, settings: settings)
        }
    }

    /// `tend force-unlock`: removes the lock with this id whoever holds it, and records that in the audit log.
    public func forceUnlock(id: String) async throws {
        try await stateEdit { try await state.forceUnlock(id: id) }
        do {
            try await state.appendAudit(who: actor, action: "force-unlock", target: id, result: "ok", at: clock())
        } catch {
            throw EngineError(.state, "lock \(id) was removed, but the audit log could not record it: \(Engine.describe(error))")
        }
    }

    /// Records a run that failed before it could start properly (watch: a broken manifest, a lock held), so
    /// `tend history` shows it. Does nothing when there is no state yet.
    public func recordFailedRun(kind: String, outcome: String) async throws {
        try await stateEdit {
            guard try await state.version() != nil else { return }
            let now = clock()
            let runID = try await state.beginRun(kind: kind, at: now, actor: actor)
            try await state.finishRun(runID, outcome: outcome, counts: [:], at: now)
        }
    }

    /// Runs a state write, turning its errors into the engine's.
    private func stateEdit<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
    }

    private func audit(_ action: String, target: String) -> AuditDraft {
        AuditDraft(who: actor, action: action, target: target, result: "ok", at: clock())
    }
}
