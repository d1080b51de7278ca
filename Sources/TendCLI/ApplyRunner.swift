import ArgumentParser
import Dispatch
import Foundation
import TendConfig
import TendEngine
import TendModel
import TendState

/// Shared by apply and destroy: lock, plan, confirm, apply, summarise; Ctrl-C finishes what is in flight.
struct ApplyRunner {
    let workspace: Workspace
    let parallelism: Int

    func planAndApply(destroy: Bool, autoApprove: Bool) async throws {
        let configuration = try await workspace.loadConfiguration()
        let store = workspace.makeStore()
        let engine = workspace.makeEngine(store: store)
        let terminal = workspace.terminal
        if !autoApprove && !Terminal.isInteractive {
            terminal.error("error: \(destroy ? "destroy" : "apply") needs confirmation, but there is no terminal to ask on; run it with --auto-approve")
            throw ExitCode.failure
        }
        let result: ApplyResult? = try await workspace.guarded {
            try await engine.withLock(operation: destroy ? "destroy" : "apply") {
                // Worked out under the lock, recorded just before the first write: what this apply tags with is
                // what the state keeps. Destroying plans with the declared values too: it needs only options and
                // dependencies, but state read against the declared texts holds each of them once instead of twice.
                let settings = try workspace.settings(for: configuration, engine: engine)
                try engine.adoptLegacyStack(settings)
                let plan = try await engine.plan(specs: configuration.specs, settings: settings, destroy: destroy)
                terminal.write(PlanTextView(palette: workspace.palette).render(plan))
                guard plan.hasChanges else { return nil }
                if !autoApprove {
                    terminal.write("\nDo you want to perform these actions? Only 'yes' will be accepted: ")
                    guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                        terminal.write("\(destroy ? "Destroy" : "Apply") cancelled; nothing was changed.\n")
                        return nil
                    }
                }
                terminal.write("\n")
                try engine.recordStack(settings)
                return try await runInterruptibly { try await engine.apply(plan, settings: settings, parallelism: parallelism) }
            }
        }
        await engine.stopProviders()
        await workspace.reportRequestCount(engine: engine)
        if let result { try summarise(result, destroy: destroy) }
    }

    func applySaved(path: String) async throws {
        let terminal = workspace.terminal
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            terminal.error("error: cannot read plan file \(path): \(error.localizedDescription)")
            throw ExitCode.failure
        }
        let keyPath = PlanKey.path(besideState: workspace.statePath)
        let file = try await workspace.guarded { try PlanFile.decode(data, path: path) { try PlanKey.load(from: keyPath) } }
        let store = workspace.makeStore()
        let engine = workspace.makeEngine(store: store)
        let result: ApplyResult? = try await workspace.guarded {
            try await engine.withLock(operation: "apply") {
                try engine.checkFresh(file.plan)
                guard file.plan.hasChanges else {
                    terminal.write("No changes in the saved plan.\n")
                    return nil
                }
                // The plan's own stack id: proposed by the plan when there was no state, recorded now.
                try engine.recordStack(file.settings)
                return try await runInterruptibly { try await engine.apply(file.plan, settings: file.settings, parallelism: parallelism) }
            }
        }
        await engine.stopProviders()
        if let result { try summarise(result, destroy: file.plan.isDestroy) }
    }

    /// Runs the apply in a child task that SIGINT/SIGTERM cancel: operations in flight finish and are recorded.
    private func runInterruptibly(_ body: @escaping @Sendable () async throws -> ApplyResult) async throws -> ApplyResult {
        let task = Task { try await body() }
        let terminal = workspace.terminal
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                terminal.error("Interrupted: finishing the operations in flight, then stopping. State stays consistent.")
                task.cancel()
            }
            source.resume()
            sources.append(source)
        }
        defer {
            for source in sources { source.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        return try await task.value
    }

    private func summarise(_ result: ApplyResult, destroy: Bool) throws {
        let counts = result.counts
        let terminal = workspace.terminal
        let palette = workspace.palette
        let verb = destroy ? "Destroy" : "Apply"
        if !result.hasFailures && !result.wasCancelled {
            terminal.write("\n" + palette.green("\(verb) complete!") +
                           " Resources: \(counts["added"] ?? 0) added, \(counts["changed"] ?? 0) changed, \(counts["destroyed"] ?? 0) destroyed.\n")
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
