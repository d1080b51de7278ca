import Foundation
import Testing

/// Drift an on-call engineer reads without filtering: one finding per cause (a file's sha256 and size are context
/// of its content change) in every format, and multi-line values shown as unified diffs.
@Suite(.serialized) struct ReadableDriftEndToEndTests {
    static let manifest = """
    stack: readable-drift
    resources:
      motd:
        type: local_file
        properties:
          path: out/motd.txt
          content: |
            line one
            line two
            line three
            line four
            line five
            line six
            line seven
            line eight
            line nine
    """

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func aChangedFileIsOneFindingWithItsContextAndADiffInEveryFormat() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        let original = try dir.read("out/motd.txt")
        try dir.write("out/motd.txt", original.replacingOccurrences(of: "line seven\n", with: "line 7, edited by hand\n"))

        // drift --json: exactly one finding, content, with sha256 and size as its context.
        let found = try TendBinary.run(["drift", "--json", "--detailed-exitcode"], in: dir.url)
        #expect(found.status == 2, "\(found.stderr)")
        let findings = try #require(try Self.json(found.stdout)["findings"] as? [[String: Any]])
        #expect(findings.count == 1)
        #expect(findings.first?["path"] as? String == "content")
        let context = try #require(findings.first?["context"] as? [[String: Any]])
        #expect(context.compactMap { $0["path"] as? String } == ["sha256", "size"])
        #expect(context.last?["expected"] as? Int == original.utf8.count)

        // drift text: the content as a unified diff with context lines, the computed attributes beneath it.
        let text = try TendBinary.run(["drift"], in: dir.url)
        #expect(text.stdout.contains("@@ -4,6 +4,6 @@"), "\(text.stdout)")
        #expect(text.stdout.contains("-line seven"))
        #expect(text.stdout.contains("+line 7, edited by hand"))
        #expect(text.stdout.contains(" line six"))
        #expect(!text.stdout.contains(" line two"), "three lines of context, not the whole file")
        #expect(text.stdout.contains("with sha256:"))
        #expect(text.stdout.contains("with size: \(original.utf8.count) → "))

        // plan: the drift and the update that puts it back, both as diffs.
        let plan = try TendBinary.run(["plan"], in: dir.url)
        #expect(plan.stdout.contains("+line seven"), "\(plan.stdout)")
        #expect(plan.stdout.contains("-line 7, edited by hand"))

        // Every report format carries one finding and its context.
        let report = try Self.json(TendBinary.run(["report", "--format", "json"], in: dir.url).stdout)
        let reported = try #require(report["findings"] as? [[String: Any]])
        #expect(reported.count == 1)
        #expect((reported.first?["context"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["sha256", "size"])
        #expect((report["summary"] as? [String: Any])?["total_changed"] as? Int == 1)

        let markdown = try TendBinary.run(["report", "--format", "markdown"], in: dir.url).stdout
        #expect(markdown.contains("```diff\n@@ -4,6 +4,6 @@"), "\(markdown)")
        #expect(markdown.contains("-line seven\n+line 7, edited by hand"))
        #expect(markdown.contains("- with `sha256`:"))
        #expect(markdown.contains("## Open findings (1)"))

        let html = try TendBinary.run(["report", "--format", "html"], in: dir.url).stdout
        #expect(html.contains("<pre class=\"diff\">"))
        #expect(html.contains("<span class=\"removed\">-line seven</span>"))
        #expect(html.contains("<span class=\"added\">+line 7, edited by hand</span>"))
        #expect(html.contains("with <code>size</code>"))
        #expect(html.components(separatedBy: "<tr class=\"open\">").count == 2, "one finding row: \(html)")

        let sarif = try Self.json(TendBinary.run(["report", "--format", "sarif"], in: dir.url).stdout)
        let results = try #require(((sarif["runs"] as? [[String: Any]])?.first)?["results"] as? [[String: Any]])
        #expect(results.count == 1)
        let properties = try #require(results.first?["properties"] as? [String: Any])
        #expect((properties["context"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["sha256", "size"])
        #expect((properties["diff"] as? String)?.contains("+line 7, edited by hand") == true)
        let message = ((results.first?["message"] as? [String: Any])?["text"] as? String) ?? ""
        #expect(message.contains("1 line removed, 1 added") && message.contains("sha256, size"), "\(message)")

        let csv = try TendBinary.run(["report", "--format", "csv"], in: dir.url).stdout.split(whereSeparator: \.isNewline)
        #expect(csv.count == 2, "the header and one finding")
        #expect(csv.first?.hasSuffix(",context") == true)
        #expect(csv.last?.contains("\"\"path\"\":\"\"sha256\"\"") == true, "\(csv)")

        let junit = try TendBinary.run(["report", "--format", "junit"], in: dir.url).stdout
        #expect(junit.components(separatedBy: "<failure").count == 2, "\(junit)")
        #expect(junit.contains("with it sha256, size changed"))
    }

    @Test func aLongSingleLineIsShortenedAroundItsChange() throws {
        let dir = try TemporaryDirectory()
        let head = String(repeating: "a", count: 300)
        let tail = String(repeating: "z", count: 300)
        try dir.write("main.yaml", """
        stack: long-line
        resources:
          one:
            type: local_file
            properties: { path: out/one.txt, content: "\(head)MIDDLE\(tail)" }
        """)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        try dir.write("out/one.txt", "\(head)CHANGED\(tail)")
        let text = try TendBinary.run(["drift"], in: dir.url).stdout
        let line = try #require(text.split(separator: "\n").first { $0.contains("content:") })
        #expect(line.contains("MIDDLE") && line.contains("CHANGED"), "\(line)")
        #expect(line.contains("…" + String(repeating: "a", count: 20) + "MIDDLE" + String(repeating: "z", count: 20) + "…"), "\(line)")
        #expect(line.count < 200, "shortened: \(line.count) characters")
    }
}
