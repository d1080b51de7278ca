/// How a watch run ended, as counted by `tend_runs_total{outcome}`.
public enum WatchRunOutcome: String, Sendable, Hashable, CaseIterable {
    /// The run succeeded and found no drift.
    case clean
    /// The run succeeded and drift is open.
    case drift
    /// The run did not complete: configuration, provider, state or lock trouble.
    case failed
}
