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

    @OptionGroup var requestOptions: PlanRequestOptions

    @Flag(name: .customLong("retry-failed"),
          help: "Carry out only the changes of the saved plan that failed or were not reached when it was last applied.")
    var retryFailed = false

    func validate() throws {
        try requestOptions.validate(destroy: false)
        if retryFailed && planFile == nil {
            throw ValidationError("--retry-failed needs the plan file whose apply failed: tend apply --retry-failed PLANFILE")
        }
        if planFile != nil && !requestOptions.isDefault {
            throw ValidationError("--target, --exclude, --replace and --refresh shape a new plan; a saved plan already says "
                                  + "what it covers (make it with tend plan -out FILE and these options)")
        }
    }

    func run() async throws {
        let workspace = Workspace(global, lock: lock)
        if let planFile {
            try await ApplyRunner(workspace: workspace, parallelism: parallelism).applySaved(path: planFile, retryFailed: retryFailed)
        } else {
            try await ApplyRunner(workspace: workspace, parallelism: parallelism)
                .planAndApply(destroy: false, autoApprove: autoApprove, request: requestOptions.request)
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

    @OptionGroup var requestOptions: PlanRequestOptions

    func validate() throws {
        try requestOptions.validate(destroy: true)
    }

    func run() async throws {
        let workspace = Workspace(global, lock: lock)
        try await ApplyRunner(workspace: workspace, parallelism: parallelism)
            .planAndApply(destroy: true, autoApprove: autoApprove, request: requestOptions.request)
    }
}
