import ArgumentParser
import Dispatch
import Foundation
import TendWatch

/// `tend watch`: drift detection on a schedule, with webhooks and metrics, until SIGINT or SIGTERM.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Detect drift on a schedule; notify webhooks; serve /metrics and /healthz.",
        discussion: """
        Runs drift detection every --interval (± --jitter) until SIGINT, SIGTERM or SIGHUP, then finishes the run in \
        flight, waits briefly for webhook deliveries and exits 0. A failed run is recorded and retried with \
        backoff (1s, 2s, 4s, … up to the interval). New and resolved findings are POSTed as JSON to every \
        --webhook, signed with HMAC-SHA256 of the body under TEND_WEBHOOK_SECRET in the X-Tend-Signature header.
        """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lock: LockOptions

    @Option(name: .long, help: "Time between runs: 30s, 5m, 1h or seconds (at least 1s).")
    var interval: String = "5m"

    @Option(name: .long, help: "Randomise each wait by up to this fraction of the interval: 10% or 0.1.")
    var jitter: String = "10%"

    @Flag(name: .long, help: "Fix drift of resources whose drift policy is remediate.")
    var remediate = false

    @Flag(name: .customLong("include-defaults"),
          help: "Report objects the cloud made by itself (default VPC and subnets, every VPC's default security group) as unmanaged.")
    var includeDefaults = false

    @OptionGroup var parallelismOption: ParallelismOption

    var parallelism: Int { parallelismOption.value }

    @Option(name: .customLong("webhook"), help: "POST new and resolved findings to this URL (repeatable).")
    var webhooks: [String] = []

    @Option(name: .long, help: "Serve /metrics and /healthz on HOST:PORT (port 0 picks a free one).")
    var listen: String = "127.0.0.1:9464"

    func validate() throws {
        do {
            _ = try WatchSchedule.parseInterval(interval)
            _ = try WatchSchedule.parseJitter(jitter)
            _ = try ListenAddress(parsing: listen)
        } catch let error as WatchError {
            throw ValidationError(error.message)
        }
        for url in webhooks where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("--webhook expects an http:// or https:// URL, got \"\(url)\"")
        }
    }

    func run() async throws {
        let workspace = Workspace(global, lock: lock)
        let terminal = workspace.terminal
        let schedule: WatchSchedule
        let address: ListenAddress
        do {
            schedule = WatchSchedule(interval: try WatchSchedule.parseInterval(interval), jitter: try WatchSchedule.parseJitter(jitter))
            address = try ListenAddress(parsing: listen)
        } catch let error as WatchError {
            terminal.error("error: \(error.message)")
            throw ExitCode.failure
        }
        let (metrics, notifier) = WatchCommand.monitoring(webhooks: webhooks, address: address,
                                                          environment: workspace.environment, terminal: terminal, label: "watch")
        let stop = StopSignal()
        let signals = WatchCommand.stopOnSignals(stop, terminal: terminal)
        defer { WatchCommand.restoreSignals(signals) }

        let serverStop = StopSignal()
        let server = try await WatchCommand.startServer(MetricsServer(address: address, metrics: metrics), stop: serverStop,
                                                        terminal: terminal)
        let cycle = WatchCycle(workspace: workspace, remediate: remediate, includeDefaults: includeDefaults, parallelism: parallelism, metrics: metrics,
                               notifier: notifier)
        let runs = await WatchLoop(schedule: schedule, sleeper: stop).run(cycle: { await cycle.run() })

        serverStop.request()
        _ = await server.result
        let pending = await notifier.pendingCount
        if pending > 0 {
            terminal.error("Waiting up to 5s for \(pending) webhook deliver\(pending == 1 ? "y" : "ies").")
        }
        let abandoned = await notifier.drain(seconds: 5)
        let note = abandoned > 0 ? "; \(abandoned) webhook deliver\(abandoned == 1 ? "y" : "ies") abandoned" : ""
        terminal.write("Stopped after \(runs) run\(runs == 1 ? "" : "s")\(note).\n")
    }

    /// What `tend watch` and `tend runner` set up before their loop: a warning for a listener other machines can
    /// reach and one for unsigned webhooks, the metrics, and a webhook notifier that counts its failures there.
    static func monitoring(webhooks: [String], address: ListenAddress, environment: [String: String], terminal: Terminal,
                           label: String) -> (WatchMetrics, WebhookNotifier) {
        if !address.isLoopback {
            terminal.error("warning: --listen \(address) is not a loopback address: /metrics and /healthz can be reached from other machines")
        }
        let secret = environment["TEND_WEBHOOK_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        if !webhooks.isEmpty && secret == nil {
            terminal.error("warning: TEND_WEBHOOK_SECRET is not set: webhook bodies are sent unsigned")
        }
        let metrics = WatchMetrics()
        let notifier = WebhookNotifier(urls: webhooks, secret: secret) { message in
            metrics.recordWebhookFailure()
            terminal.error("\(label): \(message)")
        }
        return (metrics, notifier)
    }

    /// What the metrics server did first: bound its address, or failed.
    private enum ServerStart: Sendable {
        case listening(ListenAddress)
        case failed(String)
    }

    /// Starts the server in a task and waits until it listens (printing `listening on HOST:PORT`) or fails.
    static func startServer(_ server: MetricsServer, stop: StopSignal,
                                    terminal: Terminal) async throws -> Task<Void, Never> {
        let (events, continuation) = AsyncStream.makeStream(of: ServerStart.self)
        let task = Task {
            do {
                try await server.run(onRunning: { bound in continuation.yield(.listening(bound)) },
                                     until: { await stop.waitUntilRequested() })
                continuation.finish()
            } catch {
                continuation.yield(.failed(String(describing: error)))
                continuation.finish()
            }
        }
        var iterator = events.makeAsyncIterator()
        switch await iterator.next() {
        case let .listening(bound)?:
            terminal.write("listening on \(bound)\n")
            return task
        case let .failed(message)?:
            terminal.error("error: cannot serve metrics on \(server.address): \(message)")
            throw ExitCode.failure
        case nil:
            terminal.error("error: the metrics server on \(server.address) stopped before it started")
            throw ExitCode.failure
        }
    }

    /// SIGINT, SIGTERM and SIGHUP request a stop: the run in flight finishes, the loop does not start another.
    static func stopOnSignals(_ stop: StopSignal, terminal: Terminal) -> [DispatchSourceSignal] {
        var sources: [DispatchSourceSignal] = []
        for sig in SignalTrap.endingSignals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                terminal.error("Stopping: finishing the run in flight, then exiting. State stays consistent.")
                stop.request()
            }
            source.resume()
            sources.append(source)
        }
        return sources
    }

    static func restoreSignals(_ sources: [DispatchSourceSignal]) {
        for source in sources { source.cancel() }
        for sig in SignalTrap.endingSignals { signal(sig, SIG_DFL) }
    }
}
