import Foundation
import TendEngine

/// Writes to the terminal: stdout for results, stderr for problems, colours only where they belong.
///
/// Copies share the two channels, so interrupting one terminal (`abandonBlockedWrites()`) reaches every write.
struct Terminal: OutputSink {
    let useColor: Bool
    let standardOutput: OutputChannel
    let standardError: OutputChannel

    init(noColor: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let colorAllowed = environment["NO_COLOR"].map { $0.isEmpty } ?? true
        useColor = !noColor && colorAllowed && isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb"
        standardOutput = OutputChannel(descriptor: STDOUT_FILENO)
        standardError = OutputChannel(descriptor: STDERR_FILENO)
    }

    func progress(_ line: String) {
        write(line + "\n")
    }

    /// Lines about the run itself go to stderr, so results on stdout stay machine-readable.
    func notice(_ line: String) {
        error(line)
    }

    func write(_ text: String) {
        standardOutput.write(Array(text.utf8))
    }

    func error(_ text: String) {
        standardError.write(Array((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// After an interrupt: writes stop waiting for readers that do not read (see `OutputChannel`).
    func abandonBlockedWrites() {
        standardOutput.abandonBlockedWrites()
        standardError.abandonBlockedWrites()
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
