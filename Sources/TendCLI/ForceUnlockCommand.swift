import ArgumentParser
import Foundation

/// `tend force-unlock ID`: removes a lock left by a crashed or killed run.
struct ForceUnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "force-unlock", abstract: "Remove a stale state lock by its id.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The lock id, as shown in the lock error.")
    var id: String

    func run() async throws {
        let workspace = Workspace(global)
        let engine = workspace.makeEngine(store: workspace.makeStore())
        try await workspace.guarded { try await engine.forceUnlock(id: id) }
        workspace.terminal.write("Lock \(id) removed.\n")
    }
}
