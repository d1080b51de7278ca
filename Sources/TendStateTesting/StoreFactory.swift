import TendState

/// Opens stores on one backing state, for the behaviour suite (`StateStoreBehaviour`): each `open()` is another store
/// on the same state, as a second process would open it (a SQLite store on the same file, a PostgreSQL store on the
/// same schema and stack). A backend that cannot be opened twice, like the in-memory store, returns the same store.
public struct StoreFactory: Sendable {
    private let opening: @Sendable () -> any StateStore

    /// A factory whose `open()` calls `open`; the state starts empty (no state written yet).
    public init(_ open: @escaping @Sendable () -> any StateStore) {
        opening = open
    }

    /// A store on this factory's state.
    public func open() -> any StateStore {
        opening()
    }
}
