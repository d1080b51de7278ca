import ArgumentParser

/// `tend graph`: the dependency graph in DOT.
struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "graph", abstract: "Print the dependency graph in Graphviz DOT.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let workspace = Workspace(global)
        let configuration = try await workspace.loadConfiguration()
        await workspace.stopPlugins()
        workspace.terminal.write(GraphDOTView().render(configuration.specs))
    }
}
