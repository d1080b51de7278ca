import ProviderKit

/// What a read must ask AWS for: per object id, the top-level attributes its configuration declares
/// (`ProviderContext.declaredAttributes`). An attribute outside the scope is reported as the prior record holds it,
/// so the requests that only serve it are not sent. Existence and identity are always read.
struct ReadScope: Sendable, Hashable {
    /// Declared attributes by object id; nil, or no entry for an id: everything.
    var declared: [String: Set<String>]?

    /// Every attribute of every object: import, accept, and reads a provider makes for itself (update, recover).
    static let everything = ReadScope(declared: nil)

    /// The scope of a read the engine asked for.
    init(_ context: ProviderContext) {
        self.init(declared: context.declaredAttributes)
    }

    init(declared: [String: Set<String>]?) {
        self.declared = declared
    }

    /// Whether a read of object `id` must ask for `attribute` (true when what it declares is not known).
    func reads(_ attribute: String, of id: String) -> Bool {
        guard let attributes = declared?[id] else { return true }
        return attributes.contains(attribute)
    }

    /// The objects among `ids` whose reads must ask for `attribute`.
    func reading(_ attribute: String, among ids: some Sequence<String>) -> [String] {
        ids.filter { reads(attribute, of: $0) }
    }
}
