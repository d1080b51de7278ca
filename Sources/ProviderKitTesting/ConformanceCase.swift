import TendModel

/// One resource type's sample for the conformance suite: what to create, what to update it to,
/// an id that names nothing, and optionally input the provider must reject terminally.
public struct ConformanceCase: Sendable {
    /// The resource type, such as `local_file`.
    public var type: String
    /// The address the object is created under.
    public var address: ResourceAddress
    /// The attributes to create with.
    public var desired: [String: Value]
    /// The attributes to update to; must not change a `force_new` attribute.
    public var updated: [String: Value]
    /// An id that names no object, for the "observe of an unknown id is nil" check.
    public var unknownID: String
    /// Attributes that plan or create must reject with a terminal error; nil skips that check.
    public var invalidDesired: [String: Value]?

    /// Creates a case.
    public init(type: String, address: ResourceAddress, desired: [String: Value], updated: [String: Value],
                unknownID: String, invalidDesired: [String: Value]? = nil) {
        self.type = type
        self.address = address
        self.desired = desired
        self.updated = updated
        self.unknownID = unknownID
        self.invalidDesired = invalidDesired
    }
}
