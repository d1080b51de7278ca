/// Where the engine reports progress. The CLI passes one that writes to the terminal.
public protocol OutputSink: Sendable {
    /// One line of progress.
    func progress(_ line: String)
}

/// Discards progress.
public struct SilentOutput: OutputSink {
    public init() {}
    public func progress(_ line: String) {}
}
