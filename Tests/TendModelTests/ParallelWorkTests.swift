import Dispatch
import Foundation
import Synchronization
import Testing
import TendModel

@Suite struct ParallelWorkTests {
    @Test func mapKeepsTheOrderOfItsJobs() {
        let jobs = Array(0..<257)
        #expect(ParallelWork.map(jobs) { $0 * 3 } == jobs.map { $0 * 3 })
    }

    @Test func bothRunsEachSideOnceAndReturnsEachResult() {
        let runs = Atomic<Int>(0)
        let (text, number) = ParallelWork.both({
            runs.add(1, ordering: .relaxed)
            return "first"
        }, {
            runs.add(10, ordering: .relaxed)
            return 42
        })
        #expect(text == "first")
        #expect(number == 42)
        #expect(runs.load(ordering: .relaxed) == 11)
    }

    /// Called from every worker at once (as configuration loading is from a busy cooperative pool), each call still
    /// gets both of its results: the callers run the sides themselves.
    @Test func bothCompletesWhenEveryWorkerIsBusy() {
        let callers = max(2, ProcessInfo.processInfo.activeProcessorCount) * 2
        let sums = Mutex<[Int: Int]>([:])
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            let (a, b) = ParallelWork.both({ (0..<1000).reduce(caller, +) }, { caller * 2 })
            sums.withLock { $0[caller] = a + b }
        }
        let expected = Dictionary(uniqueKeysWithValues: (0..<callers).map { ($0, (0..<1000).reduce($0, +) + $0 * 2) })
        #expect(sums.withLock { $0 } == expected)
    }

    /// Jobs of different sizes (none, fewer than the first storage holds, many more), each element a class instance:
    /// the joined array holds every one in job order, and each instance is freed exactly once, when the array is.
    @Test func joinedMovesEveryElementOnceInJobOrder() {
        let freed = FreeCounter()
        let sizes = [0, 3, 100, 17, 0, 1, 40]
        do {
            let (elements, sides) = ParallelWork.joined(Array(sizes.indices)) { job, add -> String in
                for item in 0..<sizes[job] { add(Counted(job * 1000 + item, freed: freed)) }
                return "job \(job)"
            }
            #expect(elements.map(\.value) == sizes.indices.flatMap { job in (0..<sizes[job]).map { job * 1000 + $0 } })
            #expect(sides == sizes.indices.map { "job \($0)" })
            #expect(freed.count.load(ordering: .relaxed) == 0)
        }
        #expect(freed.count.load(ordering: .relaxed) == sizes.reduce(0, +))
    }
}

final class FreeCounter: Sendable {
    let count = Atomic<Int>(0)
}

/// Counts its own deinit.
final class Counted: Sendable {
    let value: Int
    let freed: FreeCounter

    init(_ value: Int, freed: FreeCounter) {
        self.value = value
        self.freed = freed
    }

    deinit { freed.count.add(1, ordering: .relaxed) }
}
