import ArgumentParser
import Foundation
import TendConfig
import TendEngine
import TendModel
import TendState

/// `tend plan`: refresh, diff, show what apply would do. Never writes state or touches the world.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Show what apply would change.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print the plan as JSON (Terraform plan JSON shape).")
    var json = false

    @Flag(name: .customLong("detailed-exitcode"), help: "Exit 0 when nothing changes, 2 when there are changes, 1 on error.")
    var detailedExitcode = false

    @Flag(name: .long, help: "Plan to destroy everything in state.")
    var destroy = false

    @Option(name: [.customLong("out"), .customLong("out", withSingleDash: true)], help: "Save the plan to FILE for `tend apply FILE`.")
    var out: String?

    @OptionGroup var requestOptions: PlanRequestOptions

    func validate() throws {
        try requestOptions.validate(destroy: destroy)
    }

    func run() async throws {
        let workspace = Workspace(global, exitsWhenDone: true)
        let store = workspace.makePreparedStore(writing: false)
        PhaseProfile.mark("store opened")
        let configuration = try await workspace.loadConfiguration()
        PhaseProfile.mark("configuration loaded")
        let engine = workspace.makeEngine(store: store)
        // Plan writes nothing: without a state yet, the stack id is a proposal that `-out` saves with the plan and
        // `tend apply FILE` records (see Engine.settings(for:absoluteDirectory:)).
        let (settings, plan) = try await workspace.guarded {
            let settings = try await workspace.settings(for: configuration, engine: engine)
            return (settings, try await engine.plan(specs: configuration.specs, dataSources: configuration.dataSources,
                                                    settings: settings, destroy: destroy, request: requestOptions.request,
                                                    outputs: configuration.outputs))
        }
        if json {
            PlanJSONView().write(plan) { workspace.terminal.standardOutput.write($0) }
        } else {
            workspace.terminal.write(PlanTextView(palette: workspace.palette).render(plan))
        }
        PhaseProfile.mark("plan rendered")
        if let out {
            try PlanCommand.save(PlanFile(settings: settings, plan: plan), to: out, workspace: workspace)
            if !json { workspace.terminal.write("\nSaved the plan to \(out). Apply it with: tend apply \(out)\n") }
        }
        await engine.stopProviders()
        await workspace.stopPlugins()
        await workspace.reportRequestCount(engine: engine)
        workspace.exitRetainer.keep((configuration, plan))
        if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
    }

    /// Writes a plan file atomically with mode 0600, sealed under the state's plan key (docs/plan-files.md): the file
    /// holds sensitive values and provider settings, none of them readable without the key beside the state.
    static func save(_ file: PlanFile, to path: String, workspace: Workspace) throws {
        do {
            let key = try workspace.planKey(creating: true)
            let data = try file.sealed(with: key)
            let url = URL(fileURLWithPath: path)
            let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
            guard FileManager.default.createFile(atPath: temp.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
            if rename(temp.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                do {
                    try FileManager.default.removeItem(at: temp)
                } catch {
                    workspace.terminal.error("warning: could not remove the temporary file \(temp.path): \(error.localizedDescription)")
                }
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: reason])
            }
        } catch {
            workspace.terminal.error("error: could not write the plan to \(path): \(error.localizedDescription)")
            throw ExitCode.failure
        }
    }
}
