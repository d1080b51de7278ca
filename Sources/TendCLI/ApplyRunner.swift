import ArgumentParser
import Foundation
import TendConfig
import TendEngine
import TendModel
import TendState

/// Shared by apply and destroy: lock, plan, confirm, apply, summarise. SIGINT, SIGTERM and SIGHUP (and a stdout
/// reader that went away) at any point while the lock is held finish what is in flight, record the run's outcome
/// and release the lock (see `SignalTrap`).
struct ApplyRunner {
    let workspace: Workspace
    let parallelism: Int

    func planAndApply(destroy: Bool, autoApprove: Bool, request: PlanRequest = PlanRequest()) async throws {
        let store = workspace.makePreparedStore(writing: true)
        let configuration = try await workspace.loadConfiguration()
        let terminal = workspace.terminal
        if !autoApprove && !Terminal.isInteractive {
            terminal.error("error: \(destroy ? "destroy" : "apply") needs confirmation, but there is no terminal to ask on; run it with --auto-approve")
            throw ExitCode.failure
        }
        try await workspace.interruptible {
            let engine = workspace.makeEngine(store: store)
            let result = try await lockedPlanAndApply(configuration, engine: engine, destroy: destroy, autoApprove: autoApprove,
                                                      request: request)
            await engine.stopProviders()
            await workspace.stopPlugins()
            await workspace.reportRequestCount(engine: engine)
            if let result { try summarise(result, destroy: destroy) }
        }
    }

    private func lockedPlanAndApply(_ configuration: Configuration, engine: Engine, destroy: Bool,
                                    autoApprove: Bool, request: PlanRequest) async throws -> ApplyResult? {
        let terminal = workspace.terminal
        let kind = destroy ? "destroy" : "apply"
        return try await workspace.guarded {
            try await engine.withLock(operation: kind) {
                // Worked out under the lock, recorded just before the first write: what this apply tags with is
                // what the state keeps. Destroying plans with the declared values too: it needs only options and
                // dependencies, but state read against the declared texts holds each of them once instead of twice.
                let settings = try await workspace.settings(for: configuration, engine: engine)
                try await engine.adoptLegacyStack(settings)
                let plan = try await engine.plan(specs: configuration.specs, dataSources: configuration.dataSources,
                                                 settings: settings, destroy: destroy, request: request,
                                                 outputs: configuration.outputs)
                terminal.write(PlanTextView(palette: workspace.palette).render(plan))
                guard plan.hasChanges else { return nil }
                if !autoApprove {
                    terminal.write("\nDo you want to perform these actions? Only 'yes' will be accepted: ")
                    guard await Prompt.readAnswer()?.trimmingCharacters(in: .whitespaces) == "yes", !Task.isCancelled else {
                        try await recordCancelledIfInterrupted(kind, engine: engine, settings: settings)
                        terminal.write("\(destroy ? "Destroy" : "Apply") cancelled; nothing was changed.\n")
                        return nil
                    }
                }
                terminal.write("\n")
                // Interrupted while planning or printing the plan: nothing is applied, the run is recorded.
                if try await recordCancelledIfInterrupted(kind, engine: engine, settings: settings) { return nil }
                try await engine.recordStack(settings)
                return try await engine.apply(plan, settings: settings, parallelism: parallelism)
            }
        }
    }

    /// Applies a saved plan; with `retryFailed`, only what its last attempts left undone (see `Engine.remainder`).
    func applySaved(path: String, retryFailed: Bool = false) async throws {
        let terminal = workspace.terminal
        let file = try await workspace.loadSavedPlan(at: path)
        let palette = workspace.palette
        if !retryFailed { terminal.write(PlanTextView(palette: palette).warnings(file.plan)) }
        // The Terraform providers the configuration declares, found, checked against the lock file and started as for
        // any run; the plan's changes to their types go to them.
        try await workspace.startPlugins()
        try await workspace.interruptible {
            let engine = workspace.makeEngine(store: workspace.makeStore())
            let result: ApplyResult? = try await workspace.guarded {
                try await engine.withLock(operation: retryFailed ? "apply --retry-failed" : "apply") {
                    var plan = file.plan
                    if retryFailed {
                        plan = try await engine.remainder(of: file.plan, settings: file.settings)
                        guard plan.hasChanges else {
                            terminal.write("Nothing to retry: every change of the saved plan has been carried out.\n")
                            return nil
                        }
                        terminal.write(palette.bold("Retrying what the last apply of \(path) left undone:") + "\n\n")
                        terminal.write(PlanTextView(palette: workspace.palette).render(plan) + "\n")
                    } else {
                        try await engine.checkFresh(plan)
                    }
                    guard plan.hasChanges else {
                        terminal.write("No changes in the saved plan.\n")
                        return nil
                    }
                    if try await recordCancelledIfInterrupted("apply", engine: engine, settings: file.settings) { return nil }
                    // The plan's own stack id: proposed by the plan when there was no state, recorded now.
                    try await engine.recordStack(file.settings)
                    return try await engine.apply(plan, settings: file.settings, parallelism: parallelism)
                }
            }
            await engine.stopProviders()
            await workspace.stopPlugins()
            if let result { try summarise(result, destroy: file.plan.isDestroy) }
        }
    }

    /// When a signal cancelled the run before apply began, records it as a cancelled run (apply records its own
    /// outcome once it has begun) and returns true. The state is created for it when there is none, with the stack
    /// id the apply would have recorded.
    @discardableResult
    private func recordCancelledIfInterrupted(_ kind: String, engine: Engine, settings: PlanSettings) async throws -> Bool {
        guard Task.isCancelled else { return false }
        try await engine.recordStack(settings)
        try await engine.recordFailedRun(kind: kind, outcome: "cancelled")
        workspace.terminal.error("\(kind == "destroy" ? "Destroy" : "Apply") cancelled before anything was changed.")
        return true
    }

    private func summarise(_ result: ApplyResult, destroy: Bool) throws {
        let counts = result.counts
        let terminal = workspace.terminal
        let palette = workspace.palette
        let verb = destroy ? "Destroy" : "Apply"
        if !result.hasFailures && !result.wasCancelled {
            terminal.write("\n" + palette.green("\(verb) complete!") +
                           " Resources: \(counts["added"] ?? 0) added, \(counts["changed"] ?? 0) changed, \(counts["destroyed"] ?? 0) destroyed.\n")
            if !result.outputs.isEmpty { terminal.write("\n" + OutputCommand.listing(result.outputs, palette: palette)) }
            return
        }
        terminal.error("\n\(verb) \(result.wasCancelled ? "interrupted" : "failed"): \(result.succeeded.count) succeeded, \(result.failed.count) failed, \(result.skipped.count) skipped.")
        for address in result.failed.keys.sorted() {
            terminal.error("  failed:  \(address): \(result.failed[address] ?? "")")
        }
        for address in result.skipped {
            terminal.error("  skipped: \(address) (depends on something that failed or was not reached)")
        }
        throw ExitCode.failure
    }
}
