import Foundation
import Testing
import TendModel
import TendState
@testable import TendEngine
@testable import TendWatch

/// A finding whose attribute is sensitive only because its value was derived from a secret (`content: "x
/// ${secret.sensitive_content}"`; `content` itself is not sensitive in the schema) reaches webhooks redacted.
@Suite struct SensitiveWebhookTests {
    static let canary = "tend-canary-webhook-51e2"

    @Test func aDerivedSensitiveFindingIsRedactedInTheWebhookBody() throws {
        let content = AttributePath(keys: "content")
        let tags = AttributePath(keys: "tags")
        let observed = DriftChange(
            address: ResourceAddress(name: "other"), type: "local_file", provider: "local", kind: .changed,
            before: ["content": .string("x \(Self.canary)")], after: ["content": .string("tampered \(Self.canary)")],
            attributes: [
                .init(path: content, expected: .string("x \(Self.canary)"), actual: .string("tampered \(Self.canary)"),
                      isSensitive: false),
                .init(path: tags, expected: .map(["key": .string(Self.canary), "team": .string("ops")]),
                      actual: .map(["key": .string("other \(Self.canary)"), "team": .string("ops")]), isSensitive: false),
            ],
            sensitivePaths: [])
        // The marks the spec derived (and the record carries), as the engine applies them.
        let drift = observed.markingSensitive([content, AttributePath(keys: "tags", "key")], marker: Redaction.marker)
        let store = InMemoryStateStore()
        _ = try store.initialize()
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        let runID = try store.beginRun(kind: "drift", at: at, actor: "ops@build-host")
        let recording = try store.recordDrift(runID: runID, findings: Engine.findings(for: drift), scope: ["other"], at: at)
        let report = WatchRunReport(stack: "demo", runID: runID, finishedAt: at, managedCount: 2, changedCount: 1,
                                    missingCount: 0, unmanagedCount: 0, coverage: 100, opened: recording.opened, resolved: [],
                                    open: recording.opened, foundDrift: true)
        let body = String(decoding: try #require(WebhookPayload.body(for: report)), as: UTF8.self)
        #expect(!body.contains(Self.canary), "\(body)")
        #expect(body.contains(#""actual":"(sensitive)","address":"other","expected":"(sensitive)""#), "\(body)")
        #expect(body.contains(#""team":"ops""#), "what is not sensitive stays visible: \(body)")
        for finding in try store.driftFindings(address: nil, since: nil) {
            #expect(!"\(finding)".contains(Self.canary), "state holds the secret in a finding: \(finding)")
        }
    }
}
