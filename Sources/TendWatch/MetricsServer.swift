import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TendModel

/// Serves `/metrics` (Prometheus text) and `/healthz` (JSON) with Hummingbird until told to shut down.
public struct MetricsServer: Sendable {
    /// Where to listen.
    public let address: ListenAddress
    /// What to serve.
    public let metrics: WatchMetrics

    /// Creates a server; nothing listens until `run`.
    public init(address: ListenAddress, metrics: WatchMetrics) {
        self.address = address
        self.metrics = metrics
    }

    /// Listens and serves until `shutdown` returns, then shuts down gracefully (requests in flight are
    /// answered); `onRunning` hears the bound address (with the real port when 0 was asked for).
    /// Throws when the address cannot be bound.
    public func run(onRunning: @escaping @Sendable (ListenAddress) async -> Void,
                    until shutdown: @escaping @Sendable () async -> Void) async throws {
        let router = Router()
        let metrics = self.metrics
        router.get("metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: WatchMetrics.prometheusContentType],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.prometheusText())))
        }
        router.get("healthz") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: MetricsServer.health(metrics.snapshot) + "\n")))
        }
        var logger = Logger(label: "tend.watch.metrics")
        logger.logLevel = .error
        let requested = address
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(requested.host, port: requested.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? requested.port
                await onRunning(ListenAddress(host: requested.host, port: port))
            },
            logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)
        // Each child says whether it was the server. A server that fails (cannot bind) throws from the first
        // `next()`, and leaving the group cancels the wait for shutdown.
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await group.run()
                return true
            }
            tasks.addTask {
                await shutdown()
                await group.triggerGracefulShutdown()
                return false
            }
            if try await tasks.next() == true {
                tasks.cancelAll()
            } else {
                _ = try await tasks.next()
            }
        }
    }

    /// `{"last_run":{…},"runs":N,"status":"ok"}`: the process is up; `last_run` says how the last run went.
    static func health(_ snapshot: WatchMetrics.Snapshot) -> String {
        var lastRun: Value = .null
        if let outcome = snapshot.lastOutcome {
            var run: [String: Value] = ["outcome": .string(outcome.rawValue)]
            if let at = snapshot.lastRunAt { run["at"] = .string(WebhookPayload.timestamp(at)) }
            if let error = snapshot.lastError { run["error"] = .string(error) }
            lastRun = .map(run)
        }
        let runs = snapshot.runs.values.reduce(0, +)
        return Value.map(["status": .string("ok"), "last_run": lastRun, "runs": .number(Number(runs))]).canonicalJSON
    }
}
