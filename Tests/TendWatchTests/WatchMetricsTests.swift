import Foundation
import Testing
import TendModel
import TendState
@testable import TendWatch

@Suite struct WatchMetricsTests {
    static func finding(_ id: Int64, _ kind: DriftChange.Kind, address: String = "web", path: String = "") -> DriftFinding {
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        return DriftFinding(id: id, runID: 1, address: address, type: "local_file", kind: kind, path: path, expected: nil,
                            actual: nil, firstSeen: at, lastSeen: at, resolvedAt: nil, resolution: nil)
    }

    static func report(open: [DriftFinding], at seconds: Double = 1_700_000_100) -> WatchRunReport {
        WatchRunReport(stack: "demo", runID: 7, finishedAt: Date(timeIntervalSince1970: seconds), managedCount: 4,
                       changedCount: 1, missingCount: 1, unmanagedCount: 0, coverage: 100, opened: open, resolved: [],
                       open: open, foundDrift: !open.isEmpty, defaultsCount: 2)
    }

    @Test func rendersEveryFamilyBeforeTheFirstRun() {
        let text = WatchMetrics().prometheusText()
        #expect(text.contains("tend_runs_total{outcome=\"failed\"} 0\n"))
        #expect(text.contains("tend_last_run_timestamp_seconds 0\n"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE") }.count == 7)
    }

    @Test func rendersTheExpositionFormatExactly() {
        let metrics = WatchMetrics()
        metrics.record(Self.report(open: []), duration: 0.5)
        metrics.record(Self.report(open: [Self.finding(1, .changed, path: "content"), Self.finding(2, .changed, path: "size"),
                                          Self.finding(3, .missing, address: "gone")], at: 1_700_000_200.25), duration: 0.125)
        metrics.recordFailure("lock held", at: Date(timeIntervalSince1970: 1_700_000_300), duration: 0.004)
        metrics.recordWebhookFailure()
        #expect(metrics.prometheusText() == """
        # HELP tend_managed_resources Resources tend manages, as of the last successful run.
        # TYPE tend_managed_resources gauge
        tend_managed_resources 4
        # HELP tend_drift_findings Open drift findings after the last successful run, by kind.
        # TYPE tend_drift_findings gauge
        tend_drift_findings{kind="changed"} 2
        tend_drift_findings{kind="missing"} 1
        tend_drift_findings{kind="unmanaged"} 0
        # HELP tend_default_objects Objects the cloud made by itself (a default VPC, its subnets, default security groups), counted apart from unmanaged ones.
        # TYPE tend_default_objects gauge
        tend_default_objects 2
        # HELP tend_last_run_timestamp_seconds When the last run finished, in seconds since the Unix epoch (0: none yet).
        # TYPE tend_last_run_timestamp_seconds gauge
        tend_last_run_timestamp_seconds 1700000300
        # HELP tend_run_duration_seconds How long the last run took, in seconds.
        # TYPE tend_run_duration_seconds gauge
        tend_run_duration_seconds 0.004
        # HELP tend_runs_total Runs since tend watch started, by outcome.
        # TYPE tend_runs_total counter
        tend_runs_total{outcome="clean"} 1
        tend_runs_total{outcome="drift"} 1
        tend_runs_total{outcome="failed"} 1
        # HELP tend_webhook_failures_total Webhook deliveries that failed after every retry, or were dropped.
        # TYPE tend_webhook_failures_total counter
        tend_webhook_failures_total 1

        """)
        let snapshot = metrics.snapshot
        #expect(snapshot.lastOutcome == .failed)
        #expect(snapshot.lastError == "lock held")
    }

    @Test(arguments: [(0.0, "0"), (3, "3"), (0.125, "0.125"), (1_700_000_200.25, "1700000200.25"), (0.0004, "0"), (2.5e-3, "0.003")])
    func formatsSampleValues(value: Double, text: String) {
        #expect(WatchMetrics.format(value) == text)
    }

    @Test func healthSaysHowTheLastRunWent() {
        let metrics = WatchMetrics()
        #expect(MetricsServer.health(metrics.snapshot) == #"{"last_run":null,"runs":0,"status":"ok"}"#)
        metrics.recordFailure("boom", at: Date(timeIntervalSince1970: 0), duration: 1)
        #expect(MetricsServer.health(metrics.snapshot)
                == #"{"last_run":{"at":"1970-01-01T00:00:00Z","error":"boom","outcome":"failed"},"runs":1,"status":"ok"}"#)
    }
}
