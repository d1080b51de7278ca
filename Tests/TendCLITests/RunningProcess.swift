import Foundation

/// A process left running while a test drives it: its output is collected line by line as it comes.
final class RunningProcess: @unchecked Sendable {
    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    let process = Process()
    private let lock = NSLock()
    private var outLines: [String] = []
    private var errLines: [String] = []
    private var outPartial = ""
    private var errPartial = ""
    private let input = Pipe()

    init(executable: String, arguments: [String], in directory: URL, environment extra: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.append(handle.availableData, isError: false) }
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.append(handle.availableData, isError: true) }
        try process.run()
    }

    var stdout: [String] { lock.withLock { outLines } }
    var stderr: [String] { lock.withLock { errLines } }

    /// Waits for a stdout (or stderr) line at `index` or later that satisfies `matches`; returns its index.
    @discardableResult
    func waitForLine(after index: Int = 0, stderr fromStderr: Bool = false, timeout: Double = 10,
                     _ matches: (String) -> Bool) throws -> (index: Int, line: String) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let lines = fromStderr ? stderr : stdout
            if index < lines.count, let found = lines[index...].firstIndex(where: matches) { return (found, lines[found]) }
            if !process.isRunning && (fromStderr ? stderr : stdout).count == lines.count {
                throw Timeout(description: "process exited; stdout: \(stdout) stderr: \(stderr)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw Timeout(description: "no matching line within \(timeout)s; stdout: \(stdout) stderr: \(stderr)")
    }

    /// Sends a signal and waits (up to `timeout`) for the exit status.
    func send(signal number: Int32, timeout: Double = 10) -> Int32? {
        kill(process.processIdentifier, number)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Kills the process if it still runs (for `defer`).
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? input.fileHandleForWriting.close()
    }

    private func append(_ data: Data, isError: Bool) {
        guard !data.isEmpty else { return }
        lock.withLock {
            var text = (isError ? errPartial : outPartial) + String(decoding: data, as: UTF8.self)
            var complete: [String] = []
            while let newline = text.firstIndex(of: "\n") {
                complete.append(String(text[..<newline]))
                text = String(text[text.index(after: newline)...])
            }
            if isError {
                errLines += complete
                errPartial = text
            } else {
                outLines += complete
                outPartial = text
            }
        }
    }
}
