/// Where the engine reports progress. The CLI passes one that writes to the terminal.
public protocol OutputSink: Sendable {
    /// One line of progress.
    func progress(_ line: String)

    /// One line about the run rather than its result (waiting for the lock, a stale lock broken): kept apart from
    /// progress so machine-read output (`--json`) stays clean. Progress by default.
    func notice(_ line: String)
}

extension OutputSink {
    public func notice(_ line: String) { progress(line) }
}

/// Discards progress.
public struct SilentOutput: OutputSink {
    public init() {}
    public func progress(_ line: String) {}
}
