import Testing
@testable import TendWatch

@Suite struct WatchScheduleTests {
    @Test(arguments: [("30s", 30.0), ("5m", 300), ("1h", 3600), ("90", 90), ("1", 1), (" 2m ", 120), ("1.5m", 90), ("1000ms", 1)])
    func parsesIntervals(text: String, seconds: Double) throws {
        #expect(try WatchSchedule.parseInterval(text) == seconds)
    }

    @Test(arguments: ["", "5x", "m", "-5s", "0", "0.5s", "500ms", "5 m", "1e3", "inf", "nan", "five"])
    func rejectsBadIntervals(text: String) {
        #expect(throws: WatchError.self) { try WatchSchedule.parseInterval(text) }
        do { _ = try WatchSchedule.parseInterval(text) } catch let error as WatchError {
            #expect(error.code == .invalidInterval)
            #expect(error.message.contains("--interval"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [("10%", 0.1), ("0.1", 0.1), ("0", 0), ("0%", 0), ("25 %", 0.25), ("99%", 0.99), (".5", 0.5)])
    func parsesJitter(text: String, fraction: Double) throws {
        #expect(abs(try WatchSchedule.parseJitter(text) - fraction) < 1e-12)
    }

    @Test(arguments: ["", "%", "100%", "150%", "1", "10", "-0.1", "ten", "0.1%%"])
    func rejectsBadJitter(text: String) {
        do {
            _ = try WatchSchedule.parseJitter(text)
            Issue.record("accepted \(text)")
        } catch let error as WatchError {
            #expect(error.code == .invalidJitter)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func plainNumberAboveOneSuggestsAPercentage() {
        #expect(throws: WatchError(.invalidJitter, "--jitter must be a fraction below 1, got \"10\" (did you mean 10%?)")) {
            try WatchSchedule.parseJitter("10")
        }
    }

    @Test func jitterStaysWithinBounds() {
        let schedule = WatchSchedule(interval: 300, jitter: 0.1)
        #expect(schedule.delay(random: -1) == 270)
        #expect(schedule.delay(random: 0) == 300)
        #expect(schedule.delay(random: 1) == 330)
        #expect(schedule.delay(random: 7) == 330, "out-of-range randomness is clamped")
        #expect(schedule.delay(random: .nan) == 300)
        for _ in 0..<1000 {
            let delay = schedule.delay(random: Double.random(in: -1...1))
            #expect(delay >= 270 && delay <= 330)
        }
        #expect(WatchSchedule(interval: 5, jitter: 0).delay(random: 1) == 5)
    }

    @Test func backoffDoublesFromOneSecondUpToTheInterval() {
        let schedule = WatchSchedule(interval: 30, jitter: 0.1)
        #expect((1...8).map { schedule.backoff(failures: $0) } == [1, 2, 4, 8, 16, 30, 30, 30])
        #expect(schedule.backoff(failures: 1000) == 30)
        #expect(WatchSchedule(interval: 1, jitter: 0).backoff(failures: 3) == 1)
    }
}
