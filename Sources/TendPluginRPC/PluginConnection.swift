import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// A plugin process and the gRPC connection to it, started on first use and stopped once. Every call goes through
/// `wire()`; a call that fails is explained by `failure(_:during:)`, which tells a crash from a hang from garbage.
actor PluginConnection {
    struct Launch: Sendable {
        var name: String
        var executable: String
        var protocolVersions: [Int]
        var environment: [String: String]
        /// Seconds a call may take before the plugin counts as hung.
        var callTimeout: Double
        /// Seconds to wait for the handshake line.
        var startTimeout: Double = 60
    }

    private struct Live {
        var process: PluginProcess
        var client: GRPCClient<HTTP2ClientTransport.Posix>
        var runner: Task<Void, Never>
        var wire: PluginWire
        /// Calls sent over this connection.
        var calls = 0
    }

    /// Calls one HTTP/2 connection carries before the next call opens a new one. Go's gRPC server sends a PING to
    /// estimate bandwidth after nearly every request it receives, and swift-nio-http2 takes more than 200 control
    /// frames in 30 seconds for a flood and closes the connection (GOAWAY ENHANCE_YOUR_CALM), failing the calls in
    /// flight. A fresh connection every 100 calls stays well under that; the old one finishes its calls and closes.
    static let callsPerConnection = 100

    private enum Phase {
        case idle
        case starting(Task<Live, any Error>)
        case live(Live)
        case failed(PluginError)
        case stopped
    }

    let launch: Launch
    let log: PluginLog
    private var phase: Phase = .idle
    /// The started process and client, kept after a failure so that `stop()` still cleans them up.
    private var started: Live?
    /// Connections replaced by a newer one, finishing their calls.
    private var retired: [(client: GRPCClient<HTTP2ClientTransport.Posix>, runner: Task<Void, Never>)] = []

    init(launch: Launch, log: PluginLog) {
        self.launch = launch
        self.log = log
    }

    /// Starts the process when it is not running yet (without waiting for it), so its start overlaps other work.
    func warmUp() {
        guard case .idle = phase else { return }
        let launch = launch
        let log = log
        phase = .starting(Task { try await PluginConnection.start(launch, log: log) })
    }

    /// The connection, starting the plugin when needed.
    func wire() async throws -> PluginWire {
        switch phase {
        case var .live(live):
            live.calls += 1
            if live.calls > PluginConnection.callsPerConnection {
                retired.append((live.client, live.runner))
                live.client.beginGracefulShutdown()   // the calls in flight on it finish first
                let fresh = try PluginConnection.connect(live.process, launch: launch)
                live.client = fresh.client
                live.runner = fresh.runner
                live.wire = fresh.wire
                live.calls = 1
            }
            phase = .live(live)
            started = live
            return live.wire
        case let .failed(error): throw error
        case .stopped: throw PluginError(.crashed, "provider \(launch.name) was already stopped")
        case .idle:
            warmUp()
            return try await wire()
        case let .starting(task):
            do {
                let live = try await task.value
                started = live
                if case .starting = phase { phase = .live(live) }
                return live.wire
            } catch let error as PluginError {
                phase = .failed(error)
                throw error
            } catch {
                let failure = PluginError(.launch, "provider \(launch.name): \(error)")
                phase = .failed(failure)
                throw failure
            }
        }
    }

    /// What a failed call means: the process died, the call timed out, or the connection broke.
    func failure(_ error: any Error, during call: String) async -> PluginError {
        if let error = error as? PluginError { return error }
        if case let .live(live) = phase {
            // A dying process closes the socket before it is reaped: give the exit a moment to be seen.
            for _ in 0..<50 where live.process.isRunning { try? await Task.sleep(nanoseconds: 10_000_000) }   // only a wait
            if let exit = live.process.exitDescription {
                let failure = PluginError(.crashed, "provider \(launch.name) crashed during \(call) (\(exit))" + log.tailSuffix)
                phase = .failed(failure)
                live.runner.cancel()
                return failure
            }
        }
        if let rpc = error as? RPCError {
            switch rpc.code {
            case .deadlineExceeded:
                return PluginError(.timeout, "provider \(launch.name) did not answer \(call) within \(Int(launch.callTimeout)) s "
                                   + "(set timeout in its provider block to wait longer)" + log.tailSuffix)
            case .unavailable:
                return PluginError(.connection, "provider \(launch.name): connection lost during \(call): \(rpc.message)")
            case .resourceExhausted, .internalError, .dataLoss:
                return PluginError(.garbage, "provider \(launch.name) sent a reply to \(call) tend cannot read: \(rpc.message)")
            default:
                return PluginError(.connection, "provider \(launch.name): \(call) failed: \(rpc.code): \(rpc.message)")
            }
        }
        return PluginError(.connection, "provider \(launch.name): \(call) failed: \(error)")
    }

    /// Stops the plugin: go-plugin's Shutdown, the connection closed, the process waited for (killed after 5 s).
    func stop() async {
        if case let .starting(task) = phase, let live = try? await task.value {   // a failed start left nothing to stop
            started = live
        }
        phase = .stopped
        guard let live = started else { return }
        started = nil
        if live.process.isRunning {
            // StopProvider first (the provider cancels what it is still doing), then go-plugin's Shutdown. Either may
            // fail on a process that is already gone; it is killed below if it does not exit.
            let _: Tfplugin5_Stop.Response? = try? await live.wire.call(.stop, Tfplugin5_Stop.Request(), timeout: .seconds(2))
            try? await live.wire.shutdown()   // best effort, as above: a process that does not exit is killed below
        }
        live.client.beginGracefulShutdown()
        for old in retired { old.client.beginGracefulShutdown() }
        await live.process.waitForExit(timeout: 5)
        live.runner.cancel()
        for old in retired { old.runner.cancel() }
        retired = []
    }

    /// The plugin's process id, once started.
    var processID: Int32? { started?.process.pid }

    /// Kills the process at once (the run is being torn down).
    func kill() {
        started?.process.kill()
    }

    private static func start(_ launch: Launch, log: PluginLog) async throws -> Live {
        let process = try await PluginProcess.launch(name: launch.name, executable: launch.executable,
                                                     protocolVersions: launch.protocolVersions, environment: launch.environment,
                                                     timeout: launch.startTimeout, log: log)
        do {
            let connected = try connect(process, launch: launch)
            return Live(process: process, client: connected.client, runner: connected.runner, wire: connected.wire)
        } catch {
            process.kill()
            throw error
        }
    }

    /// A gRPC connection to the plugin's socket, its connection loop running.
    private static func connect(_ process: PluginProcess, launch: Launch) throws
        -> (client: GRPCClient<HTTP2ClientTransport.Posix>, runner: Task<Void, Never>, wire: PluginWire) {
        let handshake = process.handshake
        let target: any ResolvableTarget
        if handshake.network == "unix" {
            target = .unixDomainSocket(path: handshake.address)
        } else {
            let parts = handshake.address.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]), parts[0] == "127.0.0.1" || parts[0] == "localhost" else {
                throw PluginError(.handshake, "provider \(launch.name) listens on \(handshake.address); tend connects to "
                                  + "loopback addresses and Unix sockets only")
            }
            target = .ipv4(address: "127.0.0.1", port: port)
        }
        let transport: HTTP2ClientTransport.Posix
        do {
            transport = try HTTP2ClientTransport.Posix(target: target, transportSecurity: .plaintext)
        } catch {
            throw PluginError(.connection, "provider \(launch.name): cannot connect to \(handshake.address): \(error)")
        }
        let client = GRPCClient(transport: transport)
        let runner = Task<Void, Never> {
            do { try await client.runConnections() } catch {
                // The connection ended; the call that was in flight reports why (PluginConnection.failure).
            }
        }
        let wire = PluginWire(client: client, version: handshake.protocolVersion,
                              timeout: .milliseconds(Int64(launch.callTimeout * 1000)))
        return (client, runner, wire)
    }
}
