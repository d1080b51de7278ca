import Foundation

/// Threads of tend's own that run blocking state calls (SQLite, libpq), so that a query never holds one of Swift's
/// cooperative threads, which are as many as the cores: on a two-core machine two slow reads would otherwise stall
/// every task of the process, provider requests included.
///
/// Threads start on demand, up to `width`, and then wait for work for the rest of the process; a call beyond `width`
/// waits its turn in order. The width is wide (64): a state call may wait on a lock for a while (SQLite's busy wait,
/// PostgreSQL's lease row), and calls queued behind waiting ones would stall their callers as the cooperative threads
/// would have. One command makes at most its apply parallelism of calls at once. The state stores are thread-safe (each serialises its writes itself), so calls of one
/// stack may run side by side as they did on the callers' threads.
final class StateLane: @unchecked Sendable {
    /// The lane every `StackState` uses.
    static let shared = StateLane(width: 64)

    private let width: Int
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var started = 0
    private var idle = 0

    init(width: Int) {
        self.width = max(1, width)
    }

    /// Runs `body` on one of the lane's threads and returns what it returns, or throws what it throws.
    func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            submit {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        // Idle threads each take one waiting job; start another thread when the jobs outnumber them.
        let spawns = jobs.count > idle && started < width
        if spawns { started += 1 }
        condition.signal()
        condition.unlock()
        guard spawns else { return }
        let thread = Thread { [self] in work() }
        thread.name = "tend state"
        thread.start()
    }

    /// Whether the calling thread is one of a lane's.
    static var isLaneThread: Bool { Thread.current.threadDictionary[laneMark] != nil }

    private static let laneMark = "tend.state-lane"

    private func work() {
        Thread.current.threadDictionary[Self.laneMark] = true
        condition.lock()
        while true {
            while jobs.isEmpty {
                idle += 1
                condition.wait()
                idle -= 1
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
            condition.lock()
        }
    }
}
