/// The totals at the top of a drift report (named after driftctl's summary).
public struct DriftSummary: Sendable, Hashable {
    /// Resources seen: managed plus unmanaged.
    public var totalResources: Int
    /// Resources in state.
    public var totalManaged: Int
    /// Managed resources whose attributes differ from the last applied state.
    public var totalChanged: Int
    /// Managed resources deleted outside tend.
    public var totalMissing: Int
    /// Resources at the provider that state does not know.
    public var totalUnmanaged: Int
    /// Objects the cloud made by itself (a default VPC, its subnets, default security groups) that the last drift run
    /// counted apart from unmanaged ones; not part of `totalResources` or `coverage`.
    public var totalDefaults: Int
    /// Percent of resources under management, 0...100: managed / (managed + unmanaged) * 100.
    public var coverage: Double

    /// Creates a summary from its totals.
    public init(
        totalResources: Int,
        totalManaged: Int,
        totalChanged: Int,
        totalMissing: Int,
        totalUnmanaged: Int,
        coverage: Double,
        totalDefaults: Int = 0
    ) {
        self.totalResources = totalResources
        self.totalManaged = totalManaged
        self.totalChanged = totalChanged
        self.totalMissing = totalMissing
        self.totalUnmanaged = totalUnmanaged
        self.coverage = coverage
        self.totalDefaults = totalDefaults
    }
}
