import Foundation

/// A thread that renews a held lease every `interval` seconds until it is stopped or a renewal fails; every store
/// whose lock is a lease (PostgreSQL, SQLite, in memory) renews with one while it holds the lock.
///
/// It runs on a thread of its own, not the concurrency pool: each renewal is a blocking call (libpq, SQLite). A process
/// stopped (SIGSTOP) stops this thread too, so its lease runs out as it should.
final class LeaseKeeper: @unchecked Sendable {
    private let condition = NSCondition()
    private var isStopped = false

    /// Starts renewing: `renew` returns false when the lease is lost (taken over or released), which ends the thread.
    init(interval: Double, renew: @escaping @Sendable () -> Bool) {
        let thread = Thread { [self] in
            condition.lock()
            defer { condition.unlock() }
            while !isStopped {
                if condition.wait(until: Date().addingTimeInterval(interval)) { continue }
                if isStopped { break }
                condition.unlock()
                let kept = renew()
                condition.lock()
                if !kept { break }
            }
        }
        thread.name = "tend lease renewal"
        thread.start()
    }

    /// Stops renewing; the thread ends at its next wake-up.
    func stop() {
        condition.lock()
        isStopped = true
        condition.signal()
        condition.unlock()
    }
}
