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
    /// Percent of resources under management, 0...100: managed / (managed + unmanaged) * 100.
    public var coverage: Double

    /// Creates a summary from its totals.
    public init(
        totalResources: Int,
        totalManaged: Int,
        totalChanged: Int,
        totalMissing: Int,
        totalUnmanaged: Int,
        coverage: Double
    ) {
        self.totalResources = totalResources
        self.totalManaged = totalManaged
        self.totalChanged = totalChanged
        self.totalMissing = totalMissing
        self.totalUnmanaged = totalUnmanaged
        self.coverage = coverage
    }
}
