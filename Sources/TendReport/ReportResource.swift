import TendModel

/// A managed resource as a report lists it.
public struct ReportResource: Sendable, Hashable {
    /// The resource address, as printed by tend.
    public var address: String
    /// The resource type, such as `local_file`.
    public var type: String
    /// Where the manifest declares it, when known.
    public var location: SourceLocation?
    /// Whether the resource has an open finding.
    public var isDrifted: Bool

    /// Creates a resource entry.
    public init(address: String, type: String, location: SourceLocation? = nil, isDrifted: Bool) {
        self.address = address
        self.type = type
        self.location = location
        self.isDrifted = isDrifted
    }
}
