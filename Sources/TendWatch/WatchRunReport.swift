import Foundation
import TendState

/// What one successful watch run saw and changed, as the metrics and webhooks need it.
public struct WatchRunReport: Sendable, Hashable {
    /// The stack of the configuration.
    public var stack: String
    /// The drift run recorded in state.
    public var runID: Int64
    /// When the run finished.
    public var finishedAt: Date
    /// Resources tend manages.
    public var managedCount: Int
    /// Managed resources with changed attributes.
    public var changedCount: Int
    /// Managed resources deleted outside tend.
    public var missingCount: Int
    /// Objects at providers that state does not know.
    public var unmanagedCount: Int
    /// Objects the cloud made by itself (a default VPC, its subnets, every VPC's default security group), counted
    /// apart from unmanaged ones.
    public var defaultsCount: Int
    /// managed ÷ (managed + unmanaged), in percent.
    public var coverage: Double
    /// Findings first seen by this run.
    public var opened: [DriftFinding]
    /// Findings that ended in this run: gone by themselves (reverted) or fixed by remediation.
    public var resolved: [DriftFinding]
    /// Findings still open after the run (remediated ones excluded).
    public var open: [DriftFinding]
    /// Addresses remediation fixed.
    public var remediated: [String]
    /// Whether the check saw any drift (before remediation).
    public var foundDrift: Bool

    /// Creates a report.
    public init(stack: String, runID: Int64, finishedAt: Date, managedCount: Int, changedCount: Int, missingCount: Int,
                unmanagedCount: Int, coverage: Double, opened: [DriftFinding], resolved: [DriftFinding],
                open: [DriftFinding], remediated: [String] = [], foundDrift: Bool, defaultsCount: Int = 0) {
        self.stack = stack
        self.runID = runID
        self.finishedAt = finishedAt
        self.managedCount = managedCount
        self.changedCount = changedCount
        self.missingCount = missingCount
        self.unmanagedCount = unmanagedCount
        self.defaultsCount = defaultsCount
        self.coverage = coverage
        self.opened = opened
        self.resolved = resolved
        self.open = open
        self.remediated = remediated
        self.foundDrift = foundDrift
    }

    /// `drift` when the check saw drift (as recorded in state), `clean` otherwise.
    public var outcome: WatchRunOutcome { foundDrift ? .drift : .clean }

    /// Whether webhooks have something to hear: a finding opened or resolved.
    public var isNewsworthy: Bool { !opened.isEmpty || !resolved.isEmpty }

    /// Open findings per kind (`changed`, `missing`, `unmanaged`).
    public var openCounts: [String: Int] {
        var counts = ["changed": 0, "missing": 0, "unmanaged": 0]
        for finding in open { counts[finding.kind.rawValue, default: 0] += 1 }
        return counts
    }
}
