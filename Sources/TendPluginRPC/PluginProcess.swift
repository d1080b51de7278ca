import Foundation

/// A provider binary running as a go-plugin server: started with go-plugin's magic cookie and the protocol versions
/// tend speaks, its handshake line read from stdout, its stderr drained line by line into the log for as long as it
/// runs (a plugin that fills its stderr pipe would block).
final class PluginProcess: @unchecked Sendable {
    /// go-plugin's handshake cookie for Terraform providers; a provider refuses to start without it.
    static let magicCookieKey = "TF_PLUGIN_MAGIC_COOKIE"
    static let magicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

    let name: String
    let handshake: PluginHandshake
    private let process: Process
    private let log: PluginLog

    private init(name: String, process: Process, handshake: PluginHandshake, log: PluginLog) {
        self.name = name
        self.process = process
        self.handshake = handshake
        self.log = log
    }

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    /// Whether it still runs.
    var isRunning: Bool { process.isRunning }

    /// How it ended, for messages: `exit status 3`, `signal 9`; nil while it runs.
    var exitDescription: String? {
        guard !process.isRunning else { return nil }
        return process.terminationReason == .uncaughtSignal ? "killed by signal \(process.terminationStatus)"
            : "exited with status \(process.terminationStatus)"
    }

    /// Starts `executable` and waits for its handshake line (at most `timeout` seconds).
    static func launch(name: String, executable: String, protocolVersions: [Int], environment: [String: String],
                       timeout: Double, log: PluginLog) async throws -> PluginProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = []
        var env = environment
        env[magicCookieKey] = magicCookieValue
        env["PLUGIN_PROTOCOL_VERSIONS"] = protocolVersions.map(String.init).joined(separator: ",")
        // Plain gRPC: without a client certificate go-plugin does not ask for mutual TLS.
        env.removeValue(forKey: "PLUGIN_CLIENT_CERT")
        // Terraform's plugin SDKs log every call at trace level unless told otherwise, and leave the filtering to the
        // client: hundreds of lines per object, each written, read and dropped. Unless the operator asked for a
        // level (TF_LOG and friends), they log warnings and errors only.
        let levels = ["TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"]
        if !levels.contains(where: { env[$0] != nil }) {
            for name in levels.dropFirst() { env[name] = "WARN" }
        }
        process.environment = env
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PluginError(.launch, "provider \(name): cannot start \(executable): \(error.localizedDescription)")
        }
        RunningPlugins.add(process.processIdentifier)
        LineReader.drain(stderr.fileHandleForReading, name: "tend-plugin-stderr") { log.write($0) }
        let firstLine = await LineReader.firstLine(of: stdout.fileHandleForReading, timeout: timeout)
        let handshake: PluginHandshake
        switch firstLine {
        case let .line(line):
            switch PluginHandshake.parse(line, supported: Set(protocolVersions)) {
            case let .success(parsed): handshake = parsed
            case let .failure(error):
                _ = Foundation.kill(process.processIdentifier, SIGKILL)
                throw PluginError(.handshake, "provider \(name): \(error.message)")
            }
        case .timedOut:
            _ = Foundation.kill(process.processIdentifier, SIGKILL)
            throw PluginError(.handshake, "provider \(name): no handshake from \(executable) within \(Int(timeout)) s"
                              + log.tailSuffix)
        case .closed:
            process.waitUntilExit()
            throw PluginError(.handshake, "provider \(name): \(executable) exited before its handshake "
                              + "(status \(process.terminationStatus))" + log.tailSuffix)
        }
        return PluginProcess(name: name, process: process, handshake: handshake, log: log)
    }

    /// Waits up to `timeout` seconds for the process to exit by itself; kills it after that.
    func waitForExit(timeout: Double) async {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)   // cancellation only shortens the wait; the kill follows
        }
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
        while process.isRunning {
            try? await Task.sleep(nanoseconds: 5_000_000)   // SIGKILL ends it; the loop only waits for the reap
        }
        RunningPlugins.remove(process.processIdentifier)
    }

    /// Kills it now.
    func kill() {
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}
