import ArgumentParser
import Foundation
import TendConfig
import TendEngine
import TendModel

/// `tend apply [PLAN]`: makes what exists match the configuration, or carries out a saved plan.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apply", abstract: "Apply the configuration, or a saved plan.")

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lock: LockOptions

    @Argument(help: "A plan saved by `tend plan -out FILE`.")
    var planFile: String?

    @Flag(name: [.customLong("auto-approve"), .customLong("auto-approve", withSingleDash: true)], help: "Do not ask for confirmation.")
    var autoApprove = false

    @OptionGroup var parallelismOption: ParallelismOption

    var parallelism: Int { parallelismOption.value }


    func run() async throws {
        let workspace = Workspace(global, lock: lock)
        if let planFile {
            try await ApplyRunner(workspace: workspace, parallelism: parallelism).applySaved(path: planFile)
        } else {
            try await ApplyRunner(workspace: workspace, parallelism: parallelism).planAndApply(destroy: false, autoApprove: autoApprove)
        }
    }
}

/// `tend destroy`: deletes everything tend manages in this configuration's state.
struct DestroyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "destroy", abstract: "Destroy every object tend manages here.")

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lock: LockOptions

    @Flag(name: [.customLong("auto-approve"), .customLong("auto-approve", withSingleDash: true)], help: "Do not ask for confirmation.")
    var autoApprove = false

    @OptionGroup var parallelismOption: ParallelismOption

    var parallelism: Int { parallelismOption.value }


    func run() async throws {
        let workspace = Workspace(global, lock: lock)
        try await ApplyRunner(workspace: workspace, parallelism: parallelism).planAndApply(destroy: true, autoApprove: autoApprove)
    }
}
