import Synchronization

/// The lease one store handle holds, if any, and the `LeaseKeeper` renewing it: what every lease-based store keeps
/// beside its state. Other handles on the same state hold their own.
final class LeaseHolder: Sendable {
    private let held = Mutex<HeldLease?>(nil)
    private let keeper = Mutex<LeaseKeeper?>(nil)

    deinit {
        keeper.withLock { $0?.stop() }
    }

    /// The lease held now; nil when this handle holds no lock.
    var current: HeldLease? {
        held.withLock { $0 }
    }

    /// Records `lease` as held (nil: none) and stops renewing the previous one; when `renewal` is given, a thread calls
    /// it with the lease every `interval` seconds until it returns false (the lease was lost) or another lease is held.
    func hold(_ lease: HeldLease?, every interval: Double, renewal: (@Sendable (HeldLease) -> Bool)?) {
        held.withLock { $0 = lease }
        keeper.withLock { $0.take() }?.stop()
        guard let lease, let renewal else { return }
        let started = LeaseKeeper(interval: interval) { renewal(lease) }
        keeper.withLock { $0 = started }
    }
}
