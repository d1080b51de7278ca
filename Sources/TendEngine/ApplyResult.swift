import TendModel
import TendState

/// How an apply ended, resource by resource.
public struct ApplyResult: Sendable {
    /// Operations that completed, with their action.
    public var succeeded: [ResourceAddress: ChangeAction] = [:]
    /// Operations that failed, with the reason.
    public var failed: [ResourceAddress: String] = [:]
    /// Operations not attempted because something they depend on failed, or the run was interrupted.
    public var skipped: [ResourceAddress] = []
    /// The state version after apply.
    public var version: StateVersion?
    /// Whether the run was interrupted (Ctrl-C).
    public var wasCancelled = false
    /// The outputs recorded after the apply, by name.
    public var outputs: [OutputValue] = []

    public init() {}

    /// Whether anything failed or was skipped.
    public var hasFailures: Bool { !failed.isEmpty || !skipped.isEmpty }

    /// Counts for the runs table and the summary line.
    public var counts: [String: Int] {
        var added = 0, changed = 0, destroyed = 0
        for action in succeeded.values {
            switch action {
            case .create: added += 1
            case .update: changed += 1
            case .delete: destroyed += 1
            case .deleteThenCreate, .createThenDelete: added += 1; destroyed += 1
            case .noop: break
            }
        }
        return ["added": added, "changed": changed, "destroyed": destroyed, "failed": failed.count, "skipped": skipped.count]
    }
}
