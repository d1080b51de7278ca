import Foundation

/// The counts one drift run found: a point on the drift-over-time chart.
public struct DriftRunPoint: Sendable, Hashable {
    /// The run's id in state.
    public var runID: Int64
    /// When the run happened.
    public var at: Date
    /// Changed findings open after the run.
    public var changed: Int
    /// Missing findings open after the run.
    public var missing: Int
    /// Unmanaged findings open after the run.
    public var unmanaged: Int
    /// How the run ended, such as `ok` or `failed`.
    public var outcome: String

    /// Creates a run point.
    public init(runID: Int64, at: Date, changed: Int, missing: Int, unmanaged: Int, outcome: String) {
        self.runID = runID
        self.at = at
        self.changed = changed
        self.missing = missing
        self.unmanaged = unmanaged
        self.outcome = outcome
    }
}
