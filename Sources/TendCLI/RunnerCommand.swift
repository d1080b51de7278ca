import ArgumentParser
import Foundation
import TendState
import TendWatch

/// `tend runner`: checks the stacks registered in a shared PostgreSQL state for drift, sharing them with any number
/// of other runners (see `PostgresStackRegistry`), until SIGINT, SIGTERM or SIGHUP.
struct RunnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runner", abstract: "Check registered stacks for drift, sharing the work with other runners.",
        discussion: """
        Claims due stacks from the shared state (SELECT … FOR UPDATE SKIP LOCKED), checks each as tend watch does \
        (state lock, findings, --remediate, webhooks), and renews its claims while it works. A runner that dies \
        leaves its claims to expire after --lease; another runner then checks those stacks. Each stack is checked once \
        per interval, whichever runner does it. Serves /metrics and /healthz on --listen, with the registry's stacks \
        registered, due, overdue and claimed.
        """)

    @OptionGroup var registryOptions: StackCommand.RegistryOptions

    @Option(name: .long, help: "How many stacks this runner checks at once.")
    var concurrency: Int = 2

    @Option(name: .long, help: "How long a claim lasts unless renewed: 30s, 5m or seconds (at least 1s).")
    var lease: String = "60s"

    @Option(name: .long, help: "How long an idle runner waits before looking for due stacks again: 500ms, 2s.")
    var poll: String = "1s"

    @Option(name: .long, help: "This runner's name in claims and the check log (default: HOST:PID).")
    var name: String?

    @Flag(name: .long, help: "Fix drift of resources whose drift policy is remediate.")
    var remediate = false

    @Option(name: .customLong("webhook"), help: "POST new and resolved findings to this URL (repeatable).")
    var webhooks: [String] = []

    @Option(name: .long, help: "Serve /metrics and /healthz on HOST:PORT (port 0 picks a free one).")
    var listen: String = "127.0.0.1:9465"

    @Flag(name: .customLong("no-color"), help: "Plain output without colours.")
    var noColor = false

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1, got \(concurrency)") }
        do {
            _ = try WatchSchedule.parseInterval(lease)
            _ = try ListenAddress(parsing: listen)
        } catch let error as WatchError {
            throw ValidationError(error.message)
        }
        _ = try Self.seconds(poll, option: "--poll")
        for url in webhooks where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("--webhook expects an http:// or https:// URL, got \"\(url)\"")
        }
    }

    /// `500ms`, `2s`, `1m` or plain seconds, more than 0.
    static func seconds(_ text: String, option: String) throws -> Double {
        if text.hasSuffix("ms"), let value = Double(text.dropLast(2)), value > 0 { return value / 1000 }
        if let value = try? WatchSchedule.parseInterval(text) { return value }   // its own error names only the interval
        if let value = Double(text), value > 0 { return value }
        throw ValidationError("\(option) expects a duration such as 500ms, 2s or 1m, got \"\(text)\"")
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let url = try registryOptions.url(environment: environment)
        let registry = try registryOptions.registry(environment: environment)
        let terminal = Terminal(noColor: noColor)
        let leaseSeconds = try WatchSchedule.parseInterval(lease)
        let pollSeconds = try Self.seconds(poll, option: "--poll")
        let address = try ListenAddress(parsing: listen)
        let runner = name ?? "\(LocalHost.name):\(getpid())"
        let (metrics, notifier) = WatchCommand.monitoring(webhooks: webhooks, address: address, environment: environment,
                                                          terminal: terminal, label: "runner")
        let stop = StopSignal()
        let signals = WatchCommand.stopOnSignals(stop, terminal: terminal)
        defer { WatchCommand.restoreSignals(signals) }
        let serverStop = StopSignal()
        let server = try await WatchCommand.startServer(MetricsServer(address: address, metrics: metrics), stop: serverStop,
                                                        terminal: terminal)
        terminal.write("runner \(runner): checking stacks registered in \(registry.location), \(concurrency) at a time\n")

        let work = RunnerWork(registry: registry, runner: runner, url: url, lease: leaseSeconds, poll: pollSeconds,
                              remediate: remediate, noColor: noColor, metrics: metrics, notifier: notifier, terminal: terminal)
        let keeper = Task { await work.renewClaims(every: leaseSeconds / 3, until: stop) }
        let checked = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency { group.addTask { await work.loop(until: stop) } }
            return await group.reduce(0, +)
        }
        keeper.cancel()
        do { try registry.releaseAll(runner: runner) } catch {
            terminal.error("runner: could not give back its claims (they expire after --lease): \(error)")
        }
        serverStop.request()
        _ = await server.result
        _ = await notifier.drain(seconds: 5)
        terminal.write("Stopped after \(checked) check\(checked == 1 ? "" : "s").\n")
    }
}

/// What every worker of one runner shares: claim, check, complete, and keep claims alive.
struct RunnerWork: Sendable {
    let registry: PostgresStackRegistry
    let runner: String
    let url: String
    let lease: Double
    let poll: Double
    let remediate: Bool
    let noColor: Bool
    let metrics: WatchMetrics
    let notifier: WebhookNotifier
    let terminal: Terminal

    /// Claims and checks stacks one at a time until `stop`; returns how many it checked.
    func loop(until stop: StopSignal) async -> Int {
        var checked = 0
        var failures = 0
        while !stop.isStopRequested {
            let claims: [PostgresStackRegistry.Claim]
            do {
                claims = try registry.claim(runner: runner, limit: 1, lease: lease)
                failures = 0
            } catch {
                failures += 1
                terminal.error("runner: cannot claim stacks: \(error)")
                await stop.sleep(seconds: min(30, poll * Double(1 << min(failures, 5))))
                continue
            }
            guard let claim = claims.first else {
                updateGauges()
                // Idle runners look again at slightly different times, so they do not all wake at once.
                await stop.sleep(seconds: poll * Double.random(in: 0.8...1.2))
                continue
            }
            await check(claim)
            checked += 1
        }
        return checked
    }

    /// One check of a claimed stack, as `tend watch` makes it, then the claim completed (or failed: retried later).
    private func check(_ claim: PostgresStackRegistry.Claim) async {
        let label = "\(claim.name): "
        let succeeded: Bool
        do {
            var arguments = ["--dir", claim.directory, "--state", PostgresLocation.url(url, stack: claim.name)]
            if noColor { arguments.append("--no-color") }
            let workspace = Workspace(try GlobalOptions.parse(arguments), lock: try LockOptions.parse([]))
            var cycle = WatchCycle(workspace: workspace, remediate: remediate, includeDefaults: false, parallelism: 10,
                                   metrics: metrics, notifier: notifier)
            cycle.label = label
            succeeded = await cycle.run()
        } catch {
            terminal.error("\(label)cannot check: \(error)")
            succeeded = false
        }
        do {
            let kept = succeeded
                ? try registry.complete(claim, runner: runner, outcome: "succeeded")
                : try registry.fail(claim, runner: runner, outcome: "failed", retryAfter: min(30, claim.interval / 4))
            if !kept {
                terminal.error("\(label)the claim ran out before the check ended; another runner holds the stack now")
            }
        } catch {
            terminal.error("\(label)cannot record the check (the claim expires after --lease): \(error)")
        }
        updateGauges()
    }

    /// Renews this runner's claims every `interval` seconds until `stop`.
    func renewClaims(every interval: Double, until stop: StopSignal) async {
        while !stop.isStopRequested && !Task.isCancelled {
            await stop.sleep(seconds: interval)
            do { try registry.renew(runner: runner, lease: lease) } catch {
                terminal.error("runner: cannot renew claims (they expire after --lease unless this recovers): \(error)")
            }
        }
    }

    private func updateGauges() {
        do {
            let counts = try registry.counts(runner: runner)
            metrics.recordRunnerStacks(registered: counts.registered, due: counts.due, overdue: counts.overdue,
                                       claimed: counts.claimed)
        } catch {
            terminal.error("runner: cannot read the registry for /metrics: \(error)")
        }
    }
}
