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

    /// The elements every job adds, job after job, with what each job returns beside them; run like `map`. Each
    /// element is moved into the joined array, not copied out of a per-job array: joining thousands of large values
    /// built in parallel then costs no retain and release of each of their fields.
    public static func joined<Job: Sendable, Element, Side: Sendable>(
        _ jobs: [Job], _ work: @Sendable (Job, _ add: (consuming Element) -> Void) -> Side
    ) -> (elements: [Element], sides: [Side]) {
        let parts = map(jobs) { job -> (ElementRun<Element>, Side) in
            let run = ElementRun<Element>()
            let side = work(job) { element in run.append(element) }
            return (run, side)
        }
        return (ElementRun.joined(parts.map(\.0)), parts.map(\.1))
    }

    /// `(first(), second())`, run side by side. The caller's thread takes part, so when no other thread is free
    /// (one core, or every worker busy) the caller runs both one after the other: it never waits for a worker that
    /// dispatch may start only much later, as waiting on a job sent to a global queue would.
    public static func both<First: Sendable, Second: Sendable>(_ first: @Sendable () -> First,
                                                               _ second: @Sendable () -> Second) -> (First, Second) {
        let firstResult = Mutex<First?>(nil)
        let secondResult = Mutex<Second?>(nil)
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            if index == 0 {
                let result = first()
                firstResult.withLock { $0 = result }
            } else {
                let result = second()
                secondResult.withLock { $0 = result }
            }
        }
        // concurrentPerform returns only after both iterations ran, so both are set.
        return (firstResult.withLock { $0! }, secondResult.withLock { $0! })
    }
}
