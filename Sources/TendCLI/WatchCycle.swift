import ArgumentParser
import Foundation
import TendConfig
import TendEngine
import TendModel
import TendState
import TendWatch

/// One run of `tend watch`: reload the configuration, then the same lock, scan, record and remediation as
/// `tend drift`; then metrics, webhooks and one line of output. A failure is recorded and never thrown.
struct WatchCycle: Sendable {
    /// Why a run failed, in one line.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let workspace: Workspace
    let remediate: Bool
    let includeDefaults: Bool
    let parallelism: Int
    let metrics: WatchMetrics
    let notifier: WebhookNotifier
    /// Put before every line this run prints (`tend runner` names the stack).
    var label = ""

    /// Runs once; returns whether the run succeeded.
    func run() async -> Bool {
        let succeeded = await runOnce()
        // Plugins run for one cycle: a provider binary upgraded between cycles is picked up (and checked against the
        // lock file) by the next.
        await workspace.stopPlugins()
        return succeeded
    }

    private func runOnce() async -> Bool {
        let started = ContinuousClock.now
        do {
            let (configuration, ignore) = try await load()
            let outcome = try await DriftRunner(workspace: workspace, includeDefaults: includeDefaults)
                .check(configuration: configuration, ignore: ignore, remediate: remediate, parallelism: parallelism,
                       operation: "watch")
            let report = WatchCycle.report(outcome, stack: outcome.stack, at: Date())
            let duration = WatchCycle.seconds(since: started)
            metrics.record(report, duration: duration)
            if let body = WebhookPayload.body(for: report) { await notifier.notify(body) }
            workspace.terminal.write(label + WatchCycle.line(report, duration: duration))
            if let remediation = outcome.remediation, remediation.hasFailures {
                for address in remediation.failed.keys.sorted() {
                    workspace.terminal.error(label + "watch: remediation of \(address) failed: \(remediation.failed[address] ?? "")")
                }
            }
            return true
        } catch {
            let message = WatchCycle.describe(error)
            let now = Date()
            await recordFailure()
            metrics.recordFailure(message, at: now, duration: WatchCycle.seconds(since: started))
            workspace.terminal.error(label + "[\(HistoryCommand.timestamp(now))] watch: run failed: \(message)")
            return false
        }
    }

    /// The configuration and `.tendignore`, read afresh; problems become one line instead of a listing.
    private func load() async throws -> (Configuration, IgnoreRules) {
        let variables = try workspace.options.parsedVariables()
        let requirements = ConfigLoader(catalog: SchemaCatalog([])).providerRequirements(directory: workspace.directory)
        if requirements.diagnostics.hasErrors {
            throw Failure(description: WatchCycle.summarise(requirements.diagnostics.filter { $0.severity == .error },
                                                            what: "in the provider blocks"))
        }
        do {
            try await workspace.plugins.start(requirements, directory: workspace.directory,
                                              environment: workspace.environment) { _ in }
        } catch {
            throw Failure(description: "\(error)")
        }
        let result = ConfigLoader(catalog: try await workspace.registry.fetchCatalog())
            .load(directory: workspace.options.dir, variables: variables, varFiles: workspace.options.varFiles,
                  environment: workspace.environment)
        let errors = result.diagnostics.filter { $0.severity == .error }
        guard let configuration = result.configuration, errors.isEmpty else {
            throw Failure(description: WatchCycle.summarise(errors, what: "in the configuration"))
        }
        let loaded = IgnoreRules.load(directory: workspace.directory, shownAs: ".tendignore")
        let ignoreErrors = loaded.diagnostics.filter { $0.severity == .error }
        guard ignoreErrors.isEmpty else { throw Failure(description: WatchCycle.summarise(ignoreErrors, what: "in .tendignore")) }
        return (configuration, loaded.rules)
    }

    /// Records the failed run in state (kind `drift`, outcome `failed`) so `tend history` shows it.
    /// Without a state database there is nowhere to record it; the failure is still printed and counted, and so is
    /// a failure to record it.
    private func recordFailure() async {
        guard workspace.mayHaveState else { return }
        do {
            try await workspace.makeEngine(store: workspace.makeStore())
                .recordFailedRun(kind: "drift", outcome: WatchRunOutcome.failed.rawValue)
        } catch {
            workspace.terminal.error("watch: the failed run could not be recorded in state: \(WatchCycle.describe(error))")
        }
    }

    /// The first error's headline, and how many more there are.
    static func summarise(_ errors: [Diagnostic], what: String) -> String {
        guard let first = errors.first else { return "the configuration could not be loaded" }
        let place = what.isEmpty ? "" : " " + what
        let more = errors.count > 1 ? " (and \(errors.count - 1) more error\(errors.count == 2 ? "" : "s")\(place))" : ""
        return first.headline + more
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as EngineError:
            let errors = error.diagnostics.filter { $0.severity == .error }
            return summarise(errors.isEmpty ? error.diagnostics : errors, what: "")
        case let error as ValidationError: return error.message
        default: return String(describing: error)
        }
    }

    /// What the metrics and webhooks need from a drift outcome: remediated findings count as resolved.
    static func report(_ outcome: DriftRunner.Outcome, stack: String, at date: Date) -> WatchRunReport {
        let scan = outcome.scan
        let remediated = Set((outcome.remediation?.succeeded.keys).map { $0.map(\.description) } ?? [])
        let seen = outcome.recording.opened + outcome.recording.stillOpen
        let fixed = seen.filter { remediated.contains($0.address) }.map { finding -> DriftFinding in
            var resolved = finding
            resolved.resolvedAt = date
            resolved.resolution = .remediated
            return resolved
        }
        return WatchRunReport(
            stack: stack, runID: outcome.runID, finishedAt: date, managedCount: scan.managedCount,
            changedCount: scan.changedCount, missingCount: scan.missingCount, unmanagedCount: scan.unmanaged.count,
            coverage: scan.coverage, opened: outcome.recording.opened, resolved: outcome.recording.resolved + fixed,
            open: seen.filter { !remediated.contains($0.address) }, remediated: remediated.sorted(), foundDrift: scan.hasDrift,
            defaultsCount: scan.defaults.count)
    }

    /// `[time] run #N drift: 5 managed, 3 open findings (2 new, 1 resolved) in 0.04s`.
    static func line(_ report: WatchRunReport, duration: Double) -> String {
        var text = "[\(HistoryCommand.timestamp(report.finishedAt))] run #\(report.runID) \(report.outcome.rawValue): "
        text += "\(report.managedCount) managed, \(report.open.count) open finding\(report.open.count == 1 ? "" : "s")"
        text += " (\(report.opened.count) new, \(report.resolved.count) resolved"
        if !report.remediated.isEmpty { text += ", \(report.remediated.count) remediated" }
        text += ") in \(String(format: "%.2f", duration))s\n"
        return text
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
