import ArgumentParser
import Foundation
import TendConfig
import TendEngine
import TendModel
import TendState

/// `tend drift`: refresh-only drift detection, its history, and accepting what exists.
struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift", abstract: "Detect changes made outside tend (refresh only; never changes anything).",
        discussion: "Exit codes: 0 no drift, 1 error, 2 (with --detailed-exitcode) drift found.",
        subcommands: [Detect.self, Accept.self, History.self], defaultSubcommand: Detect.self)

    struct Detect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "detect", abstract: "Check for drift now (the default).")

        @OptionGroup var global: GlobalOptions

        @OptionGroup var lock: LockOptions

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        @Flag(name: .customLong("detailed-exitcode"), help: "Exit 2 when drift is found.")
        var detailedExitcode = false

        @Flag(name: .long, help: "Fix drift of resources whose drift policy is remediate.")
        var remediate = false

        @Flag(name: .customLong("include-defaults"),
              help: "Report objects the cloud made by itself (default VPC and subnets, every VPC's default security group) as unmanaged.")
        var includeDefaults = false

        @OptionGroup var parallelismOption: ParallelismOption

        var parallelism: Int { parallelismOption.value }

        @OptionGroup var scope: ScopeOptions

        func run() async throws {
            let workspace = Workspace(global, lock: lock, exitsWhenDone: true)
            let request = PlanRequest(targets: scope.targets, excludes: scope.excludes)
            let outcome = try await DriftRunner(workspace: workspace, includeDefaults: includeDefaults, request: request)
                .run(remediate: remediate, parallelism: parallelism)
            workspace.exitRetainer.keep(outcome)
            if json {
                workspace.terminal.write(DriftJSONView().render(outcome))
            } else {
                workspace.terminal.write(DriftTextView(palette: workspace.palette).render(outcome))
            }
            await workspace.reportRequestCount()
            if let remediation = outcome.remediation, remediation.hasFailures { throw ExitCode.failure }
            if detailedExitcode && outcome.scan.hasDrift && outcome.remediation == nil { throw ExitCode(2) }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept", abstract: "Record what exists as the new applied state of a resource.")

        @OptionGroup var global: GlobalOptions

        @OptionGroup var lock: LockOptions

        @Argument(help: "The resource address.")
        var address: String

        func run() async throws {
            let workspace = Workspace(global, lock: lock)
            let parsed = try StateCommand.parse(address, workspace)
            let configuration = try await workspace.loadConfiguration()
            let engine = workspace.makeEngine(store: workspace.makeStore())
            let stale = try await workspace.interruptible {
                try await workspace.guarded {
                    try await engine.acceptDrift(parsed, specs: configuration.specs,
                                                 settings: await workspace.settings(for: configuration, engine: engine))
                }
            }
            workspace.terminal.write("Accepted what exists as the applied state of \(parsed); its drift findings are resolved.\n")
            if !stale.isEmpty {
                let paths = stale.map(\.description).joined(separator: ", ")
                workspace.terminal.write(workspace.palette.yellow("The manifest is out of date:") +
                    " it still declares other values for \(paths) of \(parsed). Update it, or the next apply reverts them.\n")
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: "List drift findings, open and resolved.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Only findings of this address.")
        var address: String?

        @Flag(name: .long, help: "Print as JSON.")
        var json = false

        func run() async throws {
            let workspace = Workspace(global)
            let state = workspace.makeStackState()
            let findings = try await workspace.guarded { try await state.driftFindings(address: address, since: nil) }
            if json {
                workspace.terminal.write(Value.list(findings.map(DriftJSONView.value)).canonicalJSON + "\n")
                return
            }
            if findings.isEmpty {
                workspace.terminal.write("No drift findings recorded\(address.map { " for \($0)" } ?? "").\n")
                return
            }
            var out = ""
            for finding in findings {
                let status = finding.resolution.map { "resolved (\($0.rawValue)) \(HistoryCommand.timestamp(finding.resolvedAt ?? finding.lastSeen))" } ?? "open"
                let path = finding.path.isEmpty ? "" : " \(finding.path)"
                out += "#\(finding.id)  \(finding.kind.rawValue)  \(finding.address)\(path)  first seen \(HistoryCommand.timestamp(finding.firstSeen))  last seen \(HistoryCommand.timestamp(finding.lastSeen))  \(status)\n"
            }
            workspace.terminal.write(out)
        }
    }
}

/// Runs one drift check: load, lock, scan, record, optionally remediate.
struct DriftRunner {
    let workspace: Workspace
    /// Report objects the cloud made by itself as unmanaged, instead of only counting them.
    var includeDefaults = false
    /// What the check covers (`--target`, `--exclude`); everything by default.
    var request = PlanRequest()

    struct Outcome: Sendable {
        var scan: DriftScan
        var runID: Int64
        var recording: DriftRecording
        var remediation: ApplyResult?
        /// The stack id the check ran with.
        var stack: String
    }

    func run(remediate: Bool, parallelism: Int) async throws -> Outcome {
        // A drift check never adds to the history (only remediation does): its check leaves the history out.
        let store = workspace.makePreparedStore(writing: true, history: remediate)
        let configuration = try await workspace.loadConfiguration()
        let ignore = try loadIgnoreRules()
        let outcome = try await workspace.interruptible {
            try await workspace.guarded {
                try await check(configuration: configuration, ignore: ignore, remediate: remediate, parallelism: parallelism,
                                store: store)
            }
        }
        await workspace.stopPlugins()
        workspace.exitRetainer.keep(configuration)
        return outcome
    }

    /// Lock, scan, record, optionally remediate a loaded configuration; errors are thrown as they are.
    func check(configuration: Configuration, ignore: IgnoreRules, remediate: Bool, parallelism: Int,
               operation: String = "drift", store: (any StateStore)? = nil) async throws -> Outcome {
        let engine = workspace.makeEngine(store: store ?? workspace.makeStore())
        return try await engine.withLock(operation: remediate ? "\(operation) --remediate" : operation) {
            PhaseProfile.mark("locked")
            let settings = try await workspace.settings(for: configuration, engine: engine)
            let scan = try await engine.detectDrift(specs: configuration.specs, settings: settings, ignore: ignore,
                                                    defaultPolicy: configuration.defaultDriftPolicy, includeDefaults: includeDefaults,
                                                    request: request)
            // Recording the run creates the state when there is none: the stack id the scan used goes with it.
            try await engine.recordStack(settings)
            let (runID, recording) = try await engine.record(scan)
            PhaseProfile.mark("drift recorded")
            var remediation: ApplyResult?
            if remediate {
                remediation = try await engine.remediate(scan, specs: configuration.specs,
                                                         dataSources: configuration.dataSources, settings: settings,
                                                         parallelism: parallelism)
            }
            return Outcome(scan: scan, runID: runID, recording: recording, remediation: remediation, stack: settings.stack)
        }
    }

    /// `.tendignore` in the configuration directory, when present; an unreadable or malformed one is an error.
    func loadIgnoreRules() throws -> IgnoreRules {
        let shown = (workspace.options.dir as NSString).appendingPathComponent(".tendignore")
        let loaded = IgnoreRules.load(directory: workspace.directory,
                                      shownAs: shown.hasPrefix("./") ? String(shown.dropFirst(2)) : shown)
        workspace.printDiagnostics(loaded.diagnostics, sources: loaded.sources)
        if loaded.diagnostics.hasErrors { throw ExitCode.failure }
        return loaded.rules
    }
}
