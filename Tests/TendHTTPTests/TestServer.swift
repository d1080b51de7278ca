import Foundation

/// The fixture server `fixtures/http/test_server.py`, started on 127.0.0.1 with a free port.
/// It exits when stopped, or when this process dies and its stdin closes.
final class TestServer {
    let port: Int
    /// A loopback port nothing listens on.
    let closedPort: Int
    private let process: Process
    private let input: Pipe

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    init() throws {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/http/test_server.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line: [UInt8] = []
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(contentsOf: chunk)
        }
        let fields = String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 2, let port = Int(fields[0]), let closed = Int(fields[1]) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw StartFailure(description: "test server printed \(String(decoding: line, as: UTF8.self))")
        }
        self.port = port
        closedPort = closed
    }

    /// The URL of a path on this server.
    func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    /// Stops the server and waits for it to exit. SIGKILL, not SIGTERM: a child of the test runner can inherit a
    /// blocked or ignored SIGTERM (the runner's in-process signal handling), and then the wait never ends.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        // Closing our end of its stdin only tells the server to stop too; an error here changes nothing.
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
