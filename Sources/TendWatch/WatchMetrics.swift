import Foundation

/// The numbers `/metrics` and `/healthz` show, updated after every run; safe to use from any thread.
public final class WatchMetrics: @unchecked Sendable {
    /// A consistent copy of every value.
    public struct Snapshot: Sendable, Hashable {
        /// Resources tend manages, as of the last successful run.
        public var managedResources = 0
        /// Open findings per kind after the last successful run.
        public var openFindings: [String: Int] = ["changed": 0, "missing": 0, "unmanaged": 0]
        /// Objects the cloud made by itself, counted apart from unmanaged ones, as of the last successful run.
        public var defaultObjects = 0
        /// When the last run finished; nil before the first.
        public var lastRunAt: Date?
        /// How long the last run took, in seconds.
        public var lastRunDuration: Double = 0
        /// Runs per outcome.
        public var runs: [WatchRunOutcome: Int] = [:]
        /// Webhook deliveries that failed after every retry.
        public var webhookFailures = 0
        /// How the last run ended; nil before the first.
        public var lastOutcome: WatchRunOutcome?
        /// Why the last run failed, when it did.
        public var lastError: String?
        /// For `tend runner`: the shared registry's stacks by state (`registered`, `due`, `overdue`, and `claimed` by
        /// this runner), as of the last look; nil for `tend watch`.
        public var runnerStacks: [String: Int]?

        /// An empty snapshot: nothing has run.
        public init() {}
    }

    private let lock = NSLock()
    private var state = Snapshot()

    /// Creates metrics with nothing recorded.
    public init() {}

    /// A copy of the current values.
    public var snapshot: Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return state
    }

    /// Records a successful run.
    public func record(_ report: WatchRunReport, duration: Double) {
        update { state in
            state.managedResources = report.managedCount
            state.openFindings = report.openCounts
            state.defaultObjects = report.defaultsCount
            state.lastRunAt = report.finishedAt
            state.lastRunDuration = duration
            state.runs[report.outcome, default: 0] += 1
            state.lastOutcome = report.outcome
            state.lastError = nil
        }
    }

    /// Records a failed run; the gauges of the last successful run stay as they are.
    public func recordFailure(_ message: String, at: Date, duration: Double) {
        update { state in
            state.lastRunAt = at
            state.lastRunDuration = duration
            state.runs[.failed, default: 0] += 1
            state.lastOutcome = .failed
            state.lastError = message
        }
    }

    /// Records what a runner last saw of the shared registry.
    public func recordRunnerStacks(registered: Int, due: Int, overdue: Int, claimed: Int) {
        update { $0.runnerStacks = ["registered": registered, "due": due, "overdue": overdue, "claimed": claimed] }
    }

    /// Counts a webhook delivery that failed for good.
    public func recordWebhookFailure() {
        update { $0.webhookFailures += 1 }
    }

    private func update(_ body: (inout Snapshot) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&state)
    }
}
