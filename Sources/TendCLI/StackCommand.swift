import ArgumentParser
import Foundation
import TendState
import TendWatch

/// `tend stack register|unregister|list|checks`: the stacks `tend runner` processes check for drift, kept in a shared
/// PostgreSQL state.
struct StackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack", abstract: "Register stacks whose drift checks runners share (PostgreSQL state).",
        subcommands: [Register.self, Unregister.self, List.self, Checks.self])

    /// `--state` (or `TEND_STATE`): the shared PostgreSQL schema.
    struct RegistryOptions: ParsableArguments {
        @Option(name: .long, help: "The shared state: postgres://USER@HOST:PORT/DB (default: TEND_STATE).")
        var state: String?

        /// The registry at `--state` or `TEND_STATE`; a clear error when neither is a PostgreSQL URL.
        /// The shared state's URL: `--state`, else `TEND_STATE`; an error unless it is a PostgreSQL URL.
        func url(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
            guard let url = state ?? environment["TEND_STATE"], PostgresLocation.isURL(url) else {
                throw ValidationError("runners share work through a PostgreSQL state: give --state postgres://USER@HOST:PORT/DB "
                                      + "(or TEND_STATE)")
            }
            return url
        }

        func registry(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresStackRegistry {
            let url = try url(environment: environment)
            do {
                return try PostgresStackRegistry(url: url)
            } catch let error as StateError {
                throw ValidationError(error.message)
            }
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "register", abstract: "Register configuration directories for drift checks by runners.",
            discussion: "Each stack is named by --name, else the directory's name (the stack key a PostgreSQL state uses "
                + "for that directory when the URL names no stack). A new stack is due at once; registering again changes "
                + "its directory and interval.")

        @OptionGroup var registryOptions: RegistryOptions

        @Argument(help: "Configuration directories.")
        var directories: [String]

        @Option(name: .long, help: "How often each stack is checked: 30s, 5m, 1h or seconds.")
        var interval: String = "5m"

        @Option(name: .long, help: "The stack name (only with one directory).")
        var name: String?

        func validate() throws {
            if directories.isEmpty { throw ValidationError("give at least one configuration directory") }
            if name != nil && directories.count > 1 { throw ValidationError("--name names one stack: give one directory with it") }
        }

        func run() async throws {
            let seconds: Double
            do { seconds = try WatchSchedule.parseInterval(interval) } catch let error as WatchError {
                throw ValidationError(error.message)
            }
            let registry = try registryOptions.registry()
            let terminal = Terminal(noColor: true)
            var registered: [(String, String)] = []
            for directory in directories {
                let absolute = Workspace.absolute(directory, from: FileManager.default.currentDirectoryPath)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue else {
                    terminal.error("error: \(directory) is not a directory; nothing was registered")
                    throw ExitCode.failure
                }
                registered.append((name ?? (absolute as NSString).lastPathComponent, absolute))
            }
            do {
                for (stack, directory) in registered {
                    try registry.register(name: stack, directory: directory, interval: seconds)
                }
            } catch {
                terminal.error("error: \(error)")
                throw ExitCode.failure
            }
            for (stack, directory) in registered {
                terminal.write("Registered \(stack) (\(directory)), checked every \(interval).\n")
            }
        }
    }

    struct Unregister: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unregister", abstract: "Stop checking a stack (its state stays).")

        @OptionGroup var registryOptions: RegistryOptions

        @Argument(help: "The stack's name.")
        var name: String

        func run() async throws {
            let terminal = Terminal(noColor: true)
            let removed: Bool
            do { removed = try registryOptions.registry().unregister(name: name) } catch let error as StateError {
                terminal.error("error: \(error.message)")
                throw ExitCode.failure
            }
            guard removed else {
                terminal.error("error: no stack named \"\(name)\" is registered")
                throw ExitCode.failure
            }
            terminal.write("Unregistered \(name); its state is unchanged.\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Registered stacks: when due, who holds them.")

        @OptionGroup var registryOptions: RegistryOptions

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() async throws {
            let terminal = Terminal(noColor: true)
            let stacks: [PostgresStackRegistry.Stack]
            do { stacks = try registryOptions.registry().stacks() } catch let error as StateError {
                terminal.error("error: \(error.message)")
                throw ExitCode.failure
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                terminal.write(String(decoding: try encoder.encode(stacks), as: UTF8.self) + "\n")
                return
            }
            guard !stacks.isEmpty else {
                terminal.write("No stacks are registered. Add some with tend stack register DIR.\n")
                return
            }
            for stack in stacks {
                let due = Date(timeIntervalSince1970: stack.nextDue)
                let held = stack.claimedBy.map { "  checking on \($0)" } ?? ""
                terminal.write("\(stack.name)\t\(stack.directory)\tevery \(Int(stack.interval))s\tdue \(HistoryCommand.timestamp(due))"
                               + "\t\(stack.checks) checks, \(stack.failures) failed\(held)\n")
            }
        }
    }

    struct Checks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "checks", abstract: "The drift checks runners made, oldest first.")

        @OptionGroup var registryOptions: RegistryOptions

        @Option(name: .long, help: "Only checks started this long ago or later: 30s, 5m, 1h.")
        var since: String?

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() async throws {
            let terminal = Terminal(noColor: true)
            var start = 0.0
            if let since {
                do { start = Date().timeIntervalSince1970 - (try WatchSchedule.parseInterval(since)) } catch let error as WatchError {
                    throw ValidationError(error.message)
                }
            }
            let checks: [PostgresStackRegistry.Check]
            do { checks = try registryOptions.registry().checks(since: start) } catch let error as StateError {
                terminal.error("error: \(error.message)")
                throw ExitCode.failure
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                terminal.write(String(decoding: try encoder.encode(checks), as: UTF8.self) + "\n")
                return
            }
            var perRunner: [String: Int] = [:]
            for check in checks {
                let started = HistoryCommand.timestamp(Date(timeIntervalSince1970: check.started))
                terminal.write("\(started)\t\(check.stack)\t\(check.runner)\t\(check.outcome ?? "unfinished")\n")
                if check.finished != nil { perRunner[check.runner, default: 0] += 1 }
            }
            let total = perRunner.values.reduce(0, +)
            for runner in perRunner.keys.sorted() {
                let count = perRunner[runner] ?? 0
                let share = total == 0 ? 0 : Int((Double(count) * 100 / Double(total)).rounded())
                terminal.write("\(runner): \(count) checks (\(share)%)\n")
            }
        }
    }
}
