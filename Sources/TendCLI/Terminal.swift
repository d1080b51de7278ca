import Foundation
import TendEngine

/// Writes to the terminal: stdout for results, stderr for problems, colours only where they belong.
struct Terminal: OutputSink {
    let useColor: Bool
    private let lock = NSLock()

    init(noColor: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let colorAllowed = environment["NO_COLOR"].map { $0.isEmpty } ?? true
        useColor = !noColor && colorAllowed && isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb"
    }

    func progress(_ line: String) {
        write(line + "\n")
    }

    func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    func error(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Whether stdin is a terminal a person can answer on.
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }
}

/// ANSI colours, applied only when enabled.
struct Palette: Sendable {
    let enabled: Bool

    func green(_ s: String) -> String { paint(s, "32") }
    func yellow(_ s: String) -> String { paint(s, "33") }
    func red(_ s: String) -> String { paint(s, "31") }
    func cyan(_ s: String) -> String { paint(s, "36") }
    func bold(_ s: String) -> String { paint(s, "1") }

    private func paint(_ s: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
