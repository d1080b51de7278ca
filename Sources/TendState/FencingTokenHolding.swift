/// A state store whose lock is a lease with a fencing token (PostgreSQL, SQLite, in memory): the token of the lock
/// this store handle holds. Tokens of one state only grow: every acquisition, release or not in between, takes a
/// larger one.
public protocol FencingTokenHolding: StateStore {
    /// The fencing token of the lock this store holds; nil when it holds none.
    var fencingToken: Int64? { get }
}
