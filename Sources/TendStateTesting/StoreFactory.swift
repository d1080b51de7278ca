import TendState

/// Opens stores on one backing state, for the behaviour suite (`StateStoreBehaviour`): each `open()` is another store
/// on the same state, as a second process would open it (a SQLite store on the same file, a PostgreSQL store on the
/// same schema and stack, an in-memory store sharing the first one's state).
public struct StoreFactory: Sendable {
    /// How a store's lock lease is set up: its duration and whether a thread renews it while the lock is held.
    public struct Lease: Sendable, Hashable {
        /// Seconds a lock lasts without renewal.
        public let duration: Double
        /// Whether the lease is renewed while held.
        public let renews: Bool

        /// A lease of `duration` seconds, renewed every third of that while the lock is held.
        public static func renewed(_ duration: Double) -> Lease {
            Lease(duration: duration, renews: true)
        }

        /// A lease of `duration` seconds that is never renewed, so it runs out while the lock is held.
        public static func unrenewed(_ duration: Double) -> Lease {
            Lease(duration: duration, renews: false)
        }

        /// The stores' own default: a minute, renewed.
        public static let standard = renewed(60)
    }

    private let opening: @Sendable (Lease) -> any StateStore

    /// A factory whose `open()` calls `open`, whatever lease is asked for; the state starts empty (no state written
    /// yet). The checks of leases (`StateStoreBehaviour.leases`) need `init(leased:)`.
    public init(_ open: @escaping @Sendable () -> any StateStore) {
        opening = { _ in open() }
    }

    /// A factory whose `open(lease:)` calls `open` with the lease asked for (`Lease.standard` for `open()`).
    public init(leased open: @escaping @Sendable (Lease) -> any StateStore) {
        opening = open
    }

    /// A store on this factory's state, with the standard lease.
    public func open() -> any StateStore {
        opening(.standard)
    }

    /// A store on this factory's state whose lock is a lease set up as `lease`.
    public func open(lease: Lease) -> any StateStore {
        opening(lease)
    }
}
