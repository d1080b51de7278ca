import Dispatch
import Synchronization

/// Runs independent pieces of CPU-bound or blocking work on every core and returns their results in order.
public enum ParallelWork {
    /// `jobs.map(work)`, run concurrently on dispatch's worker threads (the caller's thread joins in).
    /// It blocks until every job is done.
    public static func map<Job: Sendable, Result: Sendable>(_ jobs: [Job], _ work: @Sendable (Job) -> Result) -> [Result] {
        if jobs.count <= 1 { return jobs.map(work) }
        let results = Mutex<[Int: Result]>([:])
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let result = work(jobs[index])
            results.withLock { $0[index] = result }
        }
        return results.withLock { found in jobs.indices.compactMap { found.removeValue(forKey: $0) } }
    }
}
