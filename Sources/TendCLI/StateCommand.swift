import ArgumentParser
import Foundation
import TendEngine
import TendModel
import TendState

/// `tend state list|show|rm|mv|info|migrate|rekey`: inspect, edit and move what tend manages.
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "state", abstract: "Inspect and edit the state.",
                                                    subcommands: [List.self, Show.self, Remove.self, Move.self, Info.self, Migrate.self,
                                                                  Rekey.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List managed resources.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let workspace = Workspace(global)
            let state = workspace.makeStackState()
            let records = try await workspace.guarded { try await state.resources() }
            for record in records {
                let pending = record.status == .createPending ? "  (create pending)" : ""
                // An id made of a sensitive value (a path built from a secret) shows the marker instead.
                let id = Redaction.scrub(record.id, attributes: [record.attributes], paths: record.sensitivePaths)
                workspace.terminal.write("\(record.address)\t\(record.type)\t\(id)\(pending)\n")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one resource's recorded attributes.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The resource address, e.g. site[\"a\"].") var address: String

        func run() async throws {
            let workspace = Workspace(global)
            let parsed = try StateCommand.parse(address, workspace)
            let state = workspace.makeStackState()
            guard let record = try await workspace.guarded({ try await state.resource(parsed) }) else {
                workspace.terminal.error("error: no resource \(address) in state")
                throw ExitCode.failure
            }
            let marks = record.sensitiveMarks.union(workspace.registry.catalog[record.type]?.sensitivePaths ?? [])
            var out = "# \(record.address) (\(record.type))\nid = \(Value.quote(record.id))\n"
            for key in record.attributes.keys.sorted() {
                out += "\(key) = \(ValueFormatter.format(record.attributes[key], at: AttributePath([.key(key)]), marks: marks))\n"
            }
            if !record.dependencies.isEmpty {
                out += "depends on: " + record.dependencies.map(\.description).joined(separator: ", ") + "\n"
            }
            workspace.terminal.write(out)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Forget a resource without deleting the object.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var lock: LockOptions
        @Argument(help: "The resource address.") var address: String

        func run() async throws {
            let workspace = Workspace(global, lock: lock)
            let parsed = try StateCommand.parse(address, workspace)
            let engine = workspace.makeEngine(store: workspace.makeStore())
            _ = try await workspace.interruptible { try await workspace.guarded { try await engine.forgetResource(parsed) } }
            workspace.terminal.write("Removed \(parsed) from state; the object itself was left alone.\n")
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mv", abstract: "Give a managed resource a new address.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var lock: LockOptions
        @Argument(help: "The current address.") var source: String
        @Argument(help: "The new address.") var destination: String

        func run() async throws {
            let workspace = Workspace(global, lock: lock)
            let from = try StateCommand.parse(source, workspace)
            let to = try StateCommand.parse(destination, workspace)
            let engine = workspace.makeEngine(store: workspace.makeStore())
            _ = try await workspace.interruptible { try await workspace.guarded { try await engine.moveResource(from: from, to: to) } }
            workspace.terminal.write("Moved \(from) to \(to).\n")
        }
    }

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info", abstract: "Show the state's stack id, lineage and serial.",
            discussion: "The stack id is what created cloud objects are tagged with (tend:stack) and crash recovery "
                + "searches by; it stays when the configuration directory moves.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let workspace = Workspace(global)
            let state = workspace.makeStackState()
            let (version, stack, encryption) = try await workspace.guarded {
                (try await state.version(), try await state.stackID(), try await state.encryption())
            }
            guard let version else {
                workspace.terminal.write("No state yet at \(workspace.stateDescription).\n")
                return
            }
            workspace.terminal.write("""
                stack: \(stack ?? "(not recorded yet: the next apply or drift records the directory's name)")
                lineage: \(version.lineage)
                serial: \(version.serial)
                encryption: \(encryption.map { "\($0.mode.rawValue) values, state key \($0.keyID)" } ?? "none")

                """)
        }
    }

    static func parse(_ text: String, _ workspace: Workspace) throws -> ResourceAddress {
        guard let address = ResourceAddress(parsing: text) else {
            workspace.terminal.error("error: \"\(text)\" is not a resource address (expected NAME, NAME[\"key\"] or NAME[0])")
            throw ExitCode.failure
        }
        return address
    }
}
