// ProviderKitTesting helps test providers and the code that drives them: a conformance
// suite every provider runs, an in-memory provider for engine tests and a provider that
// records the calls made to another. It imports ProviderKit and TendModel only, and returns
// failures as values so Swift Testing (or anything else) can assert on them.

/// One operation of the `ResourceProvider` contract.
public enum ProviderOperation: String, Sendable, Hashable, Codable, CaseIterable {
    case plan
    case observe
    case create
    case update
    case delete
    case recover
    case list
    /// A data source read (`readData`).
    case readData
}
