import TendModel

/// One call made to a provider, as a `RecordingProvider` saw it.
public struct ProviderCall: Sendable, Hashable, CustomStringConvertible {
    /// The operation.
    public var operation: ProviderOperation
    /// The resource type.
    public var type: String
    /// The object id, for observe, update and delete.
    public var id: String?
    /// The address, for create and recover.
    public var address: ResourceAddress?

    /// Creates a record.
    public init(_ operation: ProviderOperation, type: String, id: String? = nil, address: ResourceAddress? = nil) {
        self.operation = operation
        self.type = type
        self.id = id
        self.address = address
    }

    /// `operation type target`, such as `create mem_thing web`.
    public var description: String {
        let target = id ?? address?.description
        return [operation.rawValue, type, target].compactMap { $0 }.joined(separator: " ")
    }
}
