import Foundation
import Testing
@testable import TendWatch

/// A sleeper that returns at once and remembers every wait; it stops the loop after `stopAfter` waits.
final class RecordingSleeper: WatchSleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Double] = []
    private var stopped = false
    let stopAfter: Int?

    init(stopAfter: Int? = nil) {
        self.stopAfter = stopAfter
    }

    var isStopRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    var recorded: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return waits
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    func sleep(seconds: Double) async {
        lock.withLock {
            waits.append(seconds)
            if let stopAfter, waits.count >= stopAfter { stopped = true }
        }
    }
}

@Suite struct WatchLoopTests {
    @Test func waitsTheIntervalAfterSuccessAndBacksOffAfterFailures() async {
        let sleeper = RecordingSleeper()
        let loop = WatchLoop(schedule: WatchSchedule(interval: 10, jitter: 0.5), sleeper: sleeper, random: { 1 })
        var script = [true, false, false, false, false, false, true, false, true]
        let runs = await loop.run(maxRuns: script.count) { script.removeFirst() }
        #expect(runs == 9)
        #expect(sleeper.recorded == [15, 1, 2, 4, 8, 10, 15, 1])
    }

    @Test func tellsWhatItWaitsFor() async {
        let sleeper = RecordingSleeper(stopAfter: 3)
        let loop = WatchLoop(schedule: WatchSchedule(interval: 4, jitter: 0), sleeper: sleeper)
        var pauses: [WatchLoop.Pause] = []
        var outcomes = [false, false, true]
        let runs = await loop.run(cycle: { outcomes.removeFirst() }, willWait: { pauses.append($0) })
        #expect(runs == 3)
        #expect(pauses.map(\.seconds) == [1, 2, 4])
        #expect(pauses.map(\.consecutiveFailures) == [1, 2, 0])
    }

    @Test func aStopDuringARunLetsItFinishAndStartsNoOther() async {
        let sleeper = RecordingSleeper()
        let loop = WatchLoop(schedule: WatchSchedule(interval: 60, jitter: 0), sleeper: sleeper)
        var finished = 0
        let runs = await loop.run {
            sleeper.stop()
            await Task.yield()
            finished += 1
            return true
        }
        #expect(runs == 1)
        #expect(finished == 1)
        #expect(sleeper.recorded.isEmpty, "no wait after the last run")
    }

    @Test func aStopBeforeTheFirstRunRunsNothing() async {
        let sleeper = RecordingSleeper()
        sleeper.stop()
        let runs = await WatchLoop(schedule: WatchSchedule(interval: 1, jitter: 0), sleeper: sleeper).run { true }
        #expect(runs == 0)
    }

    @Test func stopSignalWakesASleeperAtOnce() async {
        let stop = StopSignal()
        let start = ContinuousClock.now
        async let slept: Void = stop.sleep(seconds: 600)
        try? await Task.sleep(nanoseconds: 50_000_000)
        stop.request()
        await slept
        // Far under the 600 s asked for. The margin is wide on purpose: while the whole suite runs, tests that run
        // the tend binary can hold both cooperative threads of a 2-core machine for close to a minute.
        #expect(ContinuousClock.now - start < .seconds(300))
        #expect(stop.isStopRequested)
        let again = ContinuousClock.now
        await stop.sleep(seconds: 600)
        #expect(ContinuousClock.now - again < .seconds(300), "once stopped, sleeping returns at once, not after 600 s")
    }

    @Test func stopSignalSleepsTheFullTimeWithoutARequest() async {
        let stop = StopSignal()
        let start = ContinuousClock.now
        await stop.sleep(seconds: 0.2)
        #expect(ContinuousClock.now - start >= .milliseconds(190))
        #expect(!stop.isStopRequested)
    }
}
