/// Runs one check after another until a stop is requested: the interval with jitter after a run that
/// succeeded, exponential backoff (1 s, 2 s, 4 s, … capped at the interval) after one that failed.
///
/// Pure scheduling: the run, the sleeper and the randomness are passed in, so tests need no real time.
public struct WatchLoop: Sendable {
    /// What happened to one run, and how long the loop is about to wait.
    public struct Pause: Sendable, Hashable {
        /// The wait in seconds.
        public var seconds: Double
        /// Failed runs in a row so far; 0 after a run that succeeded.
        public var consecutiveFailures: Int
    }

    /// The interval and jitter.
    public let schedule: WatchSchedule
    /// Waits between runs and says when to stop.
    public let sleeper: any WatchSleeper
    /// A random number in -1...1 for each wait.
    public let random: @Sendable () -> Double

    /// Creates a loop.
    public init(schedule: WatchSchedule, sleeper: any WatchSleeper,
                random: @escaping @Sendable () -> Double = { Double.random(in: -1...1) }) {
        self.schedule = schedule
        self.sleeper = sleeper
        self.random = random
    }

    /// The wait after a run, given the failed runs in a row including it (0 when it succeeded).
    public func pause(consecutiveFailures: Int) -> Pause {
        let seconds = consecutiveFailures > 0 ? schedule.backoff(failures: consecutiveFailures) : schedule.delay(random: random())
        return Pause(seconds: seconds, consecutiveFailures: consecutiveFailures)
    }

    /// Runs `cycle` (which returns whether the run succeeded) until a stop is requested or `maxRuns` runs
    /// happened; `willWait` hears of every wait before it starts. Returns how many runs there were.
    /// A run in flight is never interrupted: the stop is seen after it.
    @discardableResult
    public func run(maxRuns: Int? = nil, cycle: () async -> Bool,
                    willWait: (Pause) async -> Void = { _ in }) async -> Int {
        var runs = 0
        var failures = 0
        while !sleeper.isStopRequested {
            let succeeded = await cycle()
            runs += 1
            failures = succeeded ? 0 : failures + 1
            if sleeper.isStopRequested { break }
            if let maxRuns, runs >= maxRuns { break }
            let pause = pause(consecutiveFailures: failures)
            await willWait(pause)
            await sleeper.sleep(seconds: pause.seconds)
        }
        return runs
    }
}
