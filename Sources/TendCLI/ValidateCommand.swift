import ArgumentParser

/// `tend validate`: checks the configuration and reports every problem at once.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate",
                                                    abstract: "Check the configuration and report every problem at once.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let workspace = Workspace(global)
        let configuration = try await workspace.loadConfiguration()
        await workspace.stopPlugins()
        let count = configuration.specs.count
        workspace.terminal.write("The configuration is valid: \(count) resource instance\(count == 1 ? "" : "s").\n")
    }
}
