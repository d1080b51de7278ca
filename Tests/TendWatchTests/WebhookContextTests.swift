import Foundation
import Testing
import TendModel
import TendState
@testable import TendWatch

/// Webhook findings carry their context, a unified diff of multi-line values, and stay bounded in size.
@Suite struct WebhookContextTests {
    @Test func aFindingCarriesContextAndABoundedDiff() throws {
        let old = (1...1000).map { "line \($0)\n" }.joined()
        let new = (1...1000).map { $0 % 2 == 0 ? "edited \($0)\n" : "line \($0)\n" }.joined()
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        let finding = DriftFinding(id: 1, runID: 1, address: "motd", type: "local_file", kind: .changed, path: "content",
                                   expected: .string(old), actual: .string(new), firstSeen: at, lastSeen: at, resolvedAt: nil,
                                   resolution: nil, context: [FindingContext(path: "size", expected: .number(1), actual: .number(2))])
        let value = WebhookPayload.value(for: finding)
        guard case let .map(entry) = value else { Issue.record("not an object"); return }
        #expect(entry["context"] == .list([.map(["path": .string("size"), "expected": .number(1), "actual": .number(2)])]))
        let diff = try #require(entry["diff"]?.stringValue)
        #expect(diff.hasPrefix("@@ -1,"))
        #expect(diff.contains("-line 2\n+edited 2"))
        #expect(diff.split(separator: "\n").count == WebhookPayload.maxDiffLines + 1, "the diff's lines and a note")
        #expect(diff.contains("more diff lines not shown"))
        let expected = try #require(entry["expected"]?.stringValue)
        #expect(expected.utf8.count < WebhookPayload.maxStringBytes + 64)
        #expect(expected.hasSuffix("… (\(old.utf8.count) bytes in all)"))
        #expect(value.canonicalJSON.utf8.count < 20_000, "a 10 KiB change on every other line makes a small body")
    }
}
