// TendCLI owns the commands and their views (human and JSON). It parses
// arguments, wires the engine to SQLite state and the compiled-in providers,
// and turns results into output and exit codes.

import ArgumentParser
import Foundation
import TendState

/// The `tend` command.
public struct TendCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tend",
        abstract: "A desired-state reconciler for infrastructure.",
        discussion: "Exit codes: 0 success and nothing to do, 1 error, 2 (with --detailed-exitcode) changes present, "
            + "128+N when signal N stopped a command holding the state lock (after releasing it).",
        version: TendVersion.current,
        subcommands: [
            ValidateCommand.self, PlanCommand.self, ApplyCommand.self, DestroyCommand.self, GraphCommand.self,
            DriftCommand.self, WatchCommand.self, RunnerCommand.self, StackCommand.self, ReportCommand.self, ShowCommand.self, OutputCommand.self, StateCommand.self, ImportCommand.self, HistoryCommand.self, AuditCommand.self, ForceUnlockCommand.self, ProvidersCommand.self,
        ]
    )

    public init() {}
}

/// The version printed by `tend --version` and in plan JSON.
public enum TendVersion {
    public static let current = "0.1.0"
}

/// Runs tend with the process arguments and returns the exit code. Any usage error exits 1.
public enum TendMain {
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        // The process exits right after, with whatever the command built still open: its state files are settled
        // first, so none is left with a log the next opener would fold in.
        defer { StateFiles.settle() }
        do {
            var command = try TendCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            let code = TendCommand.exitCode(for: error)
            let message = TendCommand.fullMessage(for: error)
            if code == .success {
                print(message)
                return 0
            }
            OutputChannel(descriptor: STDERR_FILENO).write(Array((message + "\n").utf8))
            return 1
        }
    }
}
