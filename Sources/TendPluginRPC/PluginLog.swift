import Foundation

/// Where a plugin's stderr goes: each line to `sink` (tend's log, prefixed with the provider's name), and the last
/// lines kept so that an error about a crashed or hung plugin can show what it said last.
public final class PluginLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recent: [String] = []
    private let keep: Int
    private let sink: @Sendable (String) -> Void

    /// - Parameter sink: receives each line, already prefixed `[provider NAME] `.
    public init(name: String, keep: Int = 20, sink: @escaping @Sendable (String) -> Void) {
        self.keep = keep
        self.sink = { line in sink("[provider \(name)] " + line) }
    }

    func write(_ line: String) {
        guard !line.isEmpty else { return }
        lock.withLock {
            recent.append(line)
            if recent.count > keep { recent.removeFirst(recent.count - keep) }
        }
        sink(line)
    }

    /// The last lines written.
    public var tail: [String] { lock.withLock { recent } }

    /// `; it said last: …` for error messages, or nothing when it said nothing.
    var tailSuffix: String {
        let lines = tail.suffix(5)
        guard !lines.isEmpty else { return "" }
        return "; its last output:\n  " + lines.map { String($0.prefix(300)) }.joined(separator: "\n  ")
    }
}
