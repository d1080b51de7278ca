import Foundation

extension WatchMetrics {
    /// The content type of `prometheusText()`.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The metrics in the Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` lines, then samples.
    public func prometheusText() -> String {
        WatchMetrics.render(snapshot)
    }

    /// Renders a snapshot; every family is present from the start, so series never appear out of nowhere.
    static func render(_ snapshot: WatchMetrics.Snapshot) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in samples { out += "\(name)\(labels) \(value)\n" }
        }
        family("tend_managed_resources", "gauge", "Resources tend manages, as of the last successful run.",
               [("", String(snapshot.managedResources))])
        family("tend_drift_findings", "gauge", "Open drift findings after the last successful run, by kind.",
               ["changed", "missing", "unmanaged"].map { ("{kind=\"\($0)\"}", String(snapshot.openFindings[$0] ?? 0)) })
        family("tend_default_objects", "gauge",
               "Objects the cloud made by itself (a default VPC, its subnets, default security groups), counted apart from unmanaged ones.",
               [("", String(snapshot.defaultObjects))])
        family("tend_last_run_timestamp_seconds", "gauge", "When the last run finished, in seconds since the Unix epoch (0: none yet).",
               [("", format(snapshot.lastRunAt?.timeIntervalSince1970 ?? 0))])
        family("tend_run_duration_seconds", "gauge", "How long the last run took, in seconds.",
               [("", format(snapshot.lastRunDuration))])
        family("tend_runs_total", "counter", "Runs since tend watch started, by outcome.",
               WatchRunOutcome.allCases.map { ("{outcome=\"\($0.rawValue)\"}", String(snapshot.runs[$0] ?? 0)) })
        family("tend_webhook_failures_total", "counter", "Webhook deliveries that failed after every retry, or were dropped.",
               [("", String(snapshot.webhookFailures))])
        if let stacks = snapshot.runnerStacks {
            family("tend_runner_stacks", "gauge",
                   "Stacks of the shared registry: registered, due now, overdue (due for longer than their interval), claimed by this runner.",
                   ["registered", "due", "overdue", "claimed"].map { ("{state=\"\($0)\"}", String(stacks[$0] ?? 0)) })
        }
        return out
    }

    /// A sample value: integers without a fraction, others with up to millisecond precision.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "+Inf" : "-Inf") }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let text = String(format: "%.3f", value)
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
