import Foundation

/// One drift run's verdict on a finding.
public struct FindingEvent: Sendable, Hashable {
    /// The drift run that saw it.
    public var runID: Int64
    /// When that run happened.
    public var at: Date
    /// `open` or `resolved`.
    public var status: String

    /// Creates an event.
    public init(runID: Int64, at: Date, status: String) {
        self.runID = runID
        self.at = at
        self.status = status
    }
}
