import Foundation
import Testing

/// `tend drift` through the built binary: exact findings, lifecycle across runs, remediation, accept.
@Suite(.serialized) struct DriftEndToEndTests {
    static let manifest = """
    stack: drift-e2e
    settings: { drift: report }
    resources:
      root:
        type: local_directory
        properties: { path: out }
      fixed:
        type: local_file
        properties: { path: "${root.path}/fixed.txt", content: "keep me\\n", mode: "0644" }
        options: { drift: remediate }
      watched:
        type: local_file
        properties: { path: "${root.path}/watched.txt", content: "watch me\\n", mode: "0644" }
      gone:
        type: local_file
        properties: { path: "${root.path}/gone.txt", content: "bye\\n" }
      ignored:
        type: local_file
        properties: { path: "${root.path}/ignored.txt", content: "noise\\n" }
        options: { drift: ignore }
    """

    static func findings(_ result: TendBinary.Result) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return object?["findings"] as? [[String: Any]] ?? []
    }

    @Test func driftIsFoundExactlyTrackedAndRemediated() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        let clean = try TendBinary.run(["drift", "--detailed-exitcode"], in: dir.url)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")

        try dir.write("out/fixed.txt", "changed by hand\n")
        try dir.write("out/watched.txt", "changed by hand\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir.url.appendingPathComponent("out/watched.txt").path)
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("out/gone.txt"))
        try dir.write("out/ignored.txt", "changed by hand\n")

        let found = try TendBinary.run(["drift", "--json", "--detailed-exitcode"], in: dir.url)
        #expect(found.status == 2, "\(found.stderr)")
        let items = try Self.findings(found).map { "\($0["kind"] ?? "") \($0["address"] ?? "") \($0["path"] ?? "-")" }.sorted()
        // One finding per cause: sha256 and size changed because content did, so they are its context.
        #expect(items == ["changed fixed content", "changed watched content", "changed watched mode", "missing gone -"])
        let contexts = try Self.findings(found).filter { $0["path"] as? String == "content" }
            .map { (($0["context"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String } }
        #expect(contexts == [["sha256", "size"], ["sha256", "size"]])
        let summary = try #require((try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any])?["summary"] as? [String: Any])
        #expect(summary["total_managed"] as? Int == 5)
        #expect(summary["total_changed"] as? Int == 2)
        #expect(summary["total_missing"] as? Int == 1)

        // The same drift seen again is the same findings, not new ones.
        let again = try TendBinary.run(["drift", "--json"], in: dir.url)
        let ids = Set(try Self.findings(found).compactMap { $0["id"] as? Int })
        #expect(Set(try Self.findings(again).compactMap { $0["id"] as? Int }) == ids)

        // Put one back by hand: its findings resolve as reverted.
        try dir.write("out/fixed.txt", "keep me\n")
        let reverted = try TendBinary.run(["drift"], in: dir.url)
        #expect(reverted.stdout.contains("Resolved since the last run"))
        #expect(reverted.stdout.contains("fixed content"))

        // Edit it again; --remediate fixes only the remediate-policy resource.
        try dir.write("out/fixed.txt", "changed again\n")
        let remediated = try TendBinary.run(["drift", "--remediate"], in: dir.url)
        #expect(remediated.status == 0, "\(remediated.stderr)")
        #expect(try dir.read("out/fixed.txt") == "keep me\n")
        #expect(try dir.read("out/watched.txt") == "changed by hand\n", "report policy: never changed by drift")

        let history = try TendBinary.run(["drift", "history", "fixed"], in: dir.url)
        #expect(history.stdout.contains("resolved (reverted)"))
        #expect(history.stdout.contains("resolved (remediated)"))

        // Accept the hand edit of watched: no longer drift, manifest flagged as out of date.
        let accept = try TendBinary.run(["drift", "accept", "watched"], in: dir.url)
        #expect(accept.status == 0, "\(accept.stderr)")
        #expect(accept.stdout.contains("The manifest is out of date"))
        let after = try TendBinary.run(["drift", "--json"], in: dir.url)
        #expect(try Self.findings(after).map { $0["address"] as? String } == ["gone"])
    }

    @Test func badIgnoreFileIsAnErrorWithItsLine() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        try dir.write(".tendignore", "# comment\naddress:\n")
        let result = try TendBinary.run(["drift"], in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains(".tendignore:2:1: error: invalid ignore rule"))
    }

    @Test func reportsEveryFormatFromTheSameHistory() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        try dir.write("out/watched.txt", "changed <script>alert(1)</script> by hand\n")
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("out/gone.txt"))
        #expect(try TendBinary.run(["drift"], in: dir.url).status == 0)
        try dir.write("out/watched.txt", "watch me\n")
        #expect(try TendBinary.run(["drift"], in: dir.url).status == 0)

        let root = TendBinary.packageRoot
        let checks: [(String, String)] = [
            ("json", "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))"),
            ("sarif", "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))"),
            ("html", "import sys,xml.etree.ElementTree as E; t=open(sys.argv[1]).read(); E.fromstring(t.split('\\n',1)[1]); assert 'http://' not in t.replace('http://www.w3.org/2000/svg','') and '<script>' not in t"),
            ("junit", "import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); cases=r.iter('testcase'); assert sum(1 for c in r.iter('failure'))==1"),
            ("csv", "import csv,sys; rows=list(csv.reader(open(sys.argv[1]))); assert len(rows)==1+int(sys.argv[2]), rows"),
            ("markdown", "import sys; t=open(sys.argv[1]).read(); assert '| 5 |' in t and 'gone' in t, t"),
        ]
        let json = try TendBinary.run(["report", "--format", "json"], in: dir.url)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let findings = try #require(document["findings"] as? [[String: Any]])
        #expect(findings.count == 2, "watched: content, sha256 and size as its context (resolved); gone: missing (open)")
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["total_missing"] as? Int == 1)
        #expect(summary["total_changed"] as? Int == 0)
        for (format, script) in checks {
            let file = dir.url.appendingPathComponent("report.\(format)").path
            let result = try TendBinary.run(["report", "--format", format, "--output", file], in: dir.url)
            #expect(result.status == 0, "\(format): \(result.stderr)")
            var arguments = ["-c", script, file]
            switch format {
            case "json": arguments.append(root.appendingPathComponent("docs/report-schema.json").path)
            case "sarif": arguments.append(root.appendingPathComponent("fixtures/schemas/sarif-schema-2.1.0.json").path)
            case "csv": arguments.append(String(findings.count))
            default: break
            }
            let check = try TendBinary.python(arguments)
            #expect(check.status == 0, "\(format) failed its check: \(check.stderr)")
        }
        let recent = try TendBinary.run(["report", "--since", "1h", "--format", "csv"], in: dir.url)
        // CSV rows end in CRLF (RFC 4180), one Character in Swift: split on newlines of either kind.
        #expect(recent.stdout.split(whereSeparator: \.isNewline).count == findings.count + 1)
        let future = try TendBinary.run(["report", "--since", "2999-01-01", "--format", "csv"], in: dir.url)
        let lines = future.stdout.split(whereSeparator: \.isNewline)
        #expect(lines.count == 2, "the header and the finding still open: resolved ones ended before the window")
        #expect(lines.last?.contains("gone") == true)
    }
}
