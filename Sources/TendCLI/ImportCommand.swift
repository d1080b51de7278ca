import ArgumentParser
import Foundation
import TendEngine
import TendModel

/// `tend import ADDR ID`: brings an object that exists outside tend under management at a declared address.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Manage an existing object at a declared address.",
        discussion: "The provider reads the object by its id; state records it. Run tend plan afterwards to see how it "
            + "differs from the configuration.")

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lock: LockOptions

    @Argument(help: "The declared resource address, e.g. logs or site[\"a\"].")
    var address: String

    @Argument(help: "The provider's id of the object (a file's path, a bucket's name, a VPC id).")
    var id: String

    func run() async throws {
        let workspace = Workspace(global, lock: lock)
        let parsed = try StateCommand.parse(address, workspace)
        let configuration = try await workspace.loadConfiguration()
        let engine = workspace.makeEngine(store: workspace.makeStore())
        let record = try await workspace.interruptible { [id] in
            let record = try await workspace.guarded {
                try await engine.withLock(operation: "import") {
                    let settings = try await workspace.settings(for: configuration, engine: engine)
                    try await engine.recordStack(settings)
                    return try await engine.importObject(parsed, id: id, specs: configuration.specs,
                                                             dataSources: configuration.dataSources, settings: settings)
                }
            }
            await engine.stopProviders()
            await workspace.stopPlugins()
            return record
        }
        workspace.terminal.write("Imported \(record.address) (\(record.type)) with id \(record.id).\n"
                                 + "Run tend plan to see how it differs from the configuration.\n")
    }
}
