/// A lock a store holds as a lease: the lock's id and the fencing token it was taken with.
struct HeldLease: Sendable, Hashable {
    /// The lock's id (`LockInfo.id`).
    var id: String
    /// The fencing token the lock was taken with.
    var token: Int64

    /// How often a lease of `duration` seconds is renewed while held: three times per lease, at most 20 times a second.
    static func renewalInterval(for duration: Double) -> Double {
        max(0.05, duration / 3)
    }
}
