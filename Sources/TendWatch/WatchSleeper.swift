/// What the watch loop waits on between runs: a sleep that a stop request cuts short.
public protocol WatchSleeper: Sendable {
    /// Whether the loop should stop (checked before and after every run).
    var isStopRequested: Bool { get }

    /// Waits up to `seconds`; returns early when a stop is requested.
    func sleep(seconds: Double) async
}
