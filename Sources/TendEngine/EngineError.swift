// TendEngine is the only place that joins configuration, providers, diff and
// state: refresh, plan, apply and destroy. It reads no clock, environment or
// working directory of its own; they are passed in.

import TendModel

/// Why the engine stopped, with diagnostics the user can act on.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Planning found problems (provider validation, refresh failures, prevent_destroy).
        case planFailed = "plan_failed"
        /// The saved plan no longer matches the state.
        case stalePlan = "stale_plan"
        /// The state could not be read or written.
        case state
        /// A saved plan file that cannot be read.
        case invalidPlanFile = "invalid_plan_file"
        /// A provider named by the configuration is not known.
        case unknownProvider = "unknown_provider"
        /// Apply could not carry out the plan as planned (a value changed, or a provider returned something else).
        case inconsistentResult = "inconsistent_result"
        /// Whether a create happened could not be settled: its intent stays for the next run to resolve.
        case unresolvedCreate = "unresolved_create"
        /// A request the configuration and state cannot satisfy (a `--target` that matches nothing).
        case invalidRequest = "invalid_request"
    }

    public var code: Code
    public var diagnostics: [Diagnostic]

    public init(_ code: Code, _ diagnostics: [Diagnostic]) {
        self.code = code
        self.diagnostics = diagnostics
    }

    public init(_ code: Code, _ message: String) {
        self.init(code, [Diagnostic(.error, message)])
    }

    public var description: String { diagnostics.map(\.headline).joined(separator: "\n") }
}
