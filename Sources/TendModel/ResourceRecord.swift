import Foundation

/// One managed resource instance as recorded in state after the last operation.
public struct ResourceRecord: Sendable, Hashable, Codable {
    /// Lifecycle of the record.
    public enum Status: String, Sendable, Hashable, Codable {
        /// The object exists and its attributes are recorded.
        case created
        /// A create was started and not confirmed: the object may or may not exist.
        case createPending = "create_pending"

        /// By case, inlined where it is used: through the derived comparison, reading `record.status == .created`
        /// copied the whole record (each of its fields retained and released) to compare one byte.
        @inlinable
        public static func == (lhs: Status, rhs: Status) -> Bool {
            switch (lhs, rhs) {
            case (.created, .created), (.createPending, .createPending): true
            default: false
            }
        }
    }

    public var address: ResourceAddress
    public var type: String
    public var provider: String
    /// The provider's id of the object; empty while create is pending.
    public var id: String
    /// Every attribute, as last applied.
    public var attributes: [String: Value]
    /// Paths whose values are sensitive.
    public var sensitivePaths: [AttributePath]
    public var dependencies: [ResourceAddress]
    public var schemaVersion: Int
    public var status: Status
    public var updatedAt: Date
    /// Opaque data the provider returned with the object, kept by state and handed back on its next calls.
    public var privateData: String?

    public init(address: ResourceAddress, type: String, provider: String, id: String, attributes: [String: Value],
                sensitivePaths: [AttributePath] = [], dependencies: [ResourceAddress] = [], schemaVersion: Int = 1,
                status: Status = .created, updatedAt: Date, privateData: String? = nil) {
        self.address = address
        self.type = type
        self.provider = provider
        self.id = id
        self.attributes = attributes
        self.sensitivePaths = sensitivePaths
        self.dependencies = dependencies
        self.schemaVersion = schemaVersion
        self.status = status
        self.updatedAt = updatedAt
        self.privateData = privateData
    }
}
