import ArgumentParser
import Foundation
import TendEngine
import TendModel
import TendState

/// `tend state list|show|rm|mv`: inspect and edit what tend manages.
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "state", abstract: "Inspect and edit the state.",
                                                    subcommands: [List.self, Show.self, Remove.self, Move.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List managed resources.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let workspace = Workspace(global)
            let store = try workspace.openStore()
            let records = try await workspace.guarded { try store.resources() }
            for record in records {
                let pending = record.status == .createPending ? "  (create pending)" : ""
                workspace.terminal.write("\(record.address)\t\(record.type)\t\(record.id)\(pending)\n")
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
            let store = try workspace.openStore()
            guard let record = try await workspace.guarded({ try store.resource(parsed) }) else {
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
        @Argument(help: "The resource address.") var address: String

        func run() async throws {
            let workspace = Workspace(global)
            let parsed = try StateCommand.parse(address, workspace)
            let store = try workspace.openStore()
            let engine = workspace.makeEngine(store: store)
            try await workspace.guarded {
                try await engine.withLock(operation: "state rm") {
                    guard try store.resource(parsed) != nil else { throw EngineError(.state, "no resource \(address) in state") }
                    _ = try store.incrementSerial()
                    try store.remove(parsed, history: nil)
                    try store.appendAudit(who: engine.actor, action: "state rm", target: parsed.description, result: "ok", at: Date())
                }
            }
            workspace.terminal.write("Removed \(parsed) from state; the object itself was left alone.\n")
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mv", abstract: "Give a managed resource a new address.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The current address.") var source: String
        @Argument(help: "The new address.") var destination: String

        func run() async throws {
            let workspace = Workspace(global)
            let from = try StateCommand.parse(source, workspace)
            let to = try StateCommand.parse(destination, workspace)
            let store = try workspace.openStore()
            let engine = workspace.makeEngine(store: store)
            try await workspace.guarded {
                try await engine.withLock(operation: "state mv") {
                    guard var record = try store.resource(from) else { throw EngineError(.state, "no resource \(from) in state") }
                    guard try store.resource(to) == nil else { throw EngineError(.state, "\(to) already exists in state") }
                    _ = try store.incrementSerial()
                    record.address = to
                    try store.put(record, history: nil)
                    try store.remove(from, history: nil)
                    try store.appendAudit(who: engine.actor, action: "state mv", target: "\(from) -> \(to)", result: "ok", at: Date())
                }
            }
            workspace.terminal.write("Moved \(from) to \(to).\n")
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
