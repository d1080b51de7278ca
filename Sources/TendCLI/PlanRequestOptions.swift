import ArgumentParser
import TendModel

/// `--target ADDR` and `--exclude ADDR` (each repeatable): what a plan, apply, destroy or drift check covers.
struct ScopeOptions: ParsableArguments {
    @Option(name: [.customLong("target"), .customLong("target", withSingleDash: true)],
            help: ArgumentHelp("Cover only this resource (NAME, NAME[KEY] or TYPE.NAME) and what it depends on; repeatable.",
                               valueName: "ADDR"))
    var targets: [String] = []

    @Option(name: [.customLong("exclude"), .customLong("exclude", withSingleDash: true)],
            help: ArgumentHelp("Leave out this resource and what depends on it; repeatable.", valueName: "ADDR"))
    var excludes: [String] = []

    var isEmpty: Bool { targets.isEmpty && excludes.isEmpty }
}

/// What plan, apply and destroy take beyond the configuration: scope, forced replacements, and whether to refresh.
struct PlanRequestOptions: ParsableArguments {
    @OptionGroup var scope: ScopeOptions

    @Option(name: [.customLong("replace"), .customLong("replace", withSingleDash: true)],
            help: ArgumentHelp("Plan to replace this object even if nothing about it changed; repeatable.", valueName: "ADDR"))
    var replace: [String] = []

    @Option(name: [.customLong("refresh"), .customLong("refresh", withSingleDash: true)],
            help: ArgumentHelp("With false, plan against the recorded state without reading what exists.", valueName: "true|false"))
    var refresh: Bool = true

    var request: PlanRequest {
        PlanRequest(targets: scope.targets, excludes: scope.excludes, replace: replace, refresh: refresh)
    }

    /// Whether any of these options was given.
    var isDefault: Bool { request == PlanRequest() }

    /// Refuses `--replace` where nothing is created (a destroy plan).
    func validate(destroy: Bool) throws {
        if destroy && !replace.isEmpty {
            throw ValidationError("--replace cannot be combined with a destroy plan: a destroy creates nothing to replace with")
        }
    }
}
