import Foundation
import Testing

/// Issue 9, defect 3: a value derived from a sensitive one (here `content: "x ${secret.sensitive_content}"`) is
/// sensitive in every output of the built binary, and a saved plan does not hold it in clear.
@Suite(.serialized) struct SensitiveValueTests {
    static let canary = "tend-canary-7f3a9c"
    static let secondCanary = "tend-canary-b41d07"

    static func manifest(_ secret: String) -> String {
        """
        stack: secrets-e2e
        resources:
          secret:
            type: local_file
            properties: { path: secret.txt, sensitive_content: "\(secret)" }
          other:
            type: local_file
            properties: { path: other.txt, content: "x ${secret.sensitive_content}" }
        """
    }

    /// Fails when any canary appears in what a command printed.
    static func expectNoCanary(_ result: TendBinary.Result, _ what: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        for canary in [canary, secondCanary] {
            #expect(!result.stdout.contains(canary), "\(what) stdout leaks the secret:\n\(result.stdout)",
                    sourceLocation: sourceLocation)
            #expect(!result.stderr.contains(canary), "\(what) stderr leaks the secret:\n\(result.stderr)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Runs tend, checks its exit status and that it printed no canary.
    @discardableResult
    static func run(_ arguments: [String], in dir: TemporaryDirectory, status: Int32 = 0,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> TendBinary.Result {
        let result = try TendBinary.run(arguments, in: dir.url)
        #expect(result.status == status, "tend \(arguments.joined(separator: " ")): \(result.stderr)",
                sourceLocation: sourceLocation)
        expectNoCanary(result, "tend \(arguments.joined(separator: " "))", sourceLocation: sourceLocation)
        return result
    }

    static func change(_ address: String, in planJSON: String) throws -> [String: Any] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(planJSON.utf8)) as? [String: Any])
        let changes = try #require(document["resource_changes"] as? [[String: Any]])
        let entry = try #require(changes.first { $0["address"] as? String == address })
        return try #require(entry["change"] as? [String: Any])
    }

    @Test func aDerivedSensitiveValueNeverAppearsInAnyOutput() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest(Self.canary))

        let plan = try Self.run(["plan"], in: dir)
        #expect(plan.stdout.contains("content = (sensitive)"), "\(plan.stdout)")
        let json = try Self.run(["plan", "--json"], in: dir)
        let other = try Self.change("other", in: json.stdout)
        #expect((other["after_sensitive"] as? [String: Any])?["content"] as? Bool == true, "\(other)")
        #expect((other["after"] as? [String: Any])?["content"] is NSNull, "\(other)")
        let secret = try Self.change("secret", in: json.stdout)
        #expect((secret["after_sensitive"] as? [String: Any])?["sensitive_content"] as? Bool == true, "\(secret)")

        // The saved plan is sealed: neither the secret nor the derived value is in its bytes.
        try Self.run(["plan", "-out", "tend.plan"], in: dir)
        let saved = try Data(contentsOf: dir.url.appendingPathComponent("tend.plan"))
        #expect(saved.range(of: Data(Self.canary.utf8)) == nil, "the plan file holds the secret in clear")
        #expect(saved.range(of: Data("sensitive_content".utf8)) == nil, "the plan file is not sealed")
        try Self.run(["apply", "tend.plan"], in: dir)
        #expect(try dir.read("other.txt") == "x \(Self.canary)")

        // An update shows neither the old nor the new secret.
        try dir.write("main.yaml", Self.manifest(Self.secondCanary))
        let apply = try Self.run(["apply", "--auto-approve"], in: dir)
        #expect(apply.stdout.contains("(sensitive) → (sensitive)"), "\(apply.stdout)")
        #expect(try dir.read("other.txt") == "x \(Self.secondCanary)")

        let shown = try Self.run(["state", "show", "other"], in: dir)
        #expect(shown.stdout.contains("content = (sensitive)"), "\(shown.stdout)")
        try Self.run(["state", "show", "secret"], in: dir)
        try Self.run(["history"], in: dir)
        try Self.run(["history", "other"], in: dir)
        try Self.run(["audit"], in: dir)

        // Drift: both files edited behind tend's back, each now holding a canary.
        try dir.write("other.txt", "tampered \(Self.canary)")
        try dir.write("secret.txt", "tampered \(Self.secondCanary)")
        let driftJSON = try Self.run(["drift", "--json"], in: dir)
        let findings = try DriftEndToEndTests.findings(driftJSON)
        let content = try #require(findings.first { $0["address"] as? String == "other" && $0["path"] as? String == "content" })
        #expect(content["expected"] as? String == "(sensitive)", "\(content)")
        #expect(content["actual"] as? String == "(sensitive)", "\(content)")
        let driftText = try Self.run(["drift"], in: dir)
        #expect(driftText.stdout.contains("content: (sensitive) → (sensitive)"), "\(driftText.stdout)")
        try Self.run(["drift", "history"], in: dir)
        try Self.run(["drift", "history", "--json"], in: dir)
        let driftPlan = try Self.run(["plan"], in: dir)
        #expect(driftPlan.stdout.contains("Changes made outside tend"), "\(driftPlan.stdout)")
        try Self.run(["plan", "--json"], in: dir)

        let reports = try TemporaryDirectory()   // not in the configuration directory: a .json there is a manifest
        for format in ["json", "markdown", "html", "csv", "junit", "sarif"] {
            let printed = try Self.run(["report", "--format", format], in: dir)
            #expect(printed.stdout.contains("(sensitive)"), "\(format): \(printed.stdout)")
            let file = reports.url.appendingPathComponent("report.\(format)").path
            try Self.run(["report", "--format", format, "--output", file], in: dir)
            let written = try reports.read("report.\(format)")
            #expect(!written.contains(Self.canary) && !written.contains(Self.secondCanary), "\(format) report file: \(written)")
        }

        try Self.run(["destroy", "--auto-approve"], in: dir)
        try Self.run(["history"], in: dir)
        try Self.run(["audit"], in: dir)
    }

    @Test func webhookBodiesRedactADerivedSensitiveFinding() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest(Self.canary))
        try Self.run(["apply", "--auto-approve"], in: dir)
        try dir.write("other.txt", "tampered \(Self.secondCanary)")
        let hooks = dir.url.appendingPathComponent("hooks.jsonl")
        let (receiver, port) = try WatchEndToEndTests.startReceiver(recordingTo: hooks)
        defer { receiver.stop() }
        let watch = try RunningProcess(executable: TendBinary.path,
                                       arguments: ["watch", "--interval", "1h", "--listen", "127.0.0.1:0",
                                                   "--webhook", "http://127.0.0.1:\(port)/hook"],
                                       in: dir.url, environment: ["TEND_WEBHOOK_SECRET": WatchEndToEndTests.secret])
        defer { watch.stop() }
        try watch.waitForLine { $0.contains(" drift: ") }
        let deadline = Date().addingTimeInterval(10)
        while WatchEndToEndTests.records(hooks).isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(watch.send(signal: SIGTERM) == 0)
        let body = try #require(WatchEndToEndTests.records(hooks).first?["body"] as? String)
        #expect(!body.contains(Self.canary) && !body.contains(Self.secondCanary), "\(body)")
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let content = try #require((payload["new"] as? [[String: Any]])?.first { $0["path"] as? String == "content" })
        #expect(content["expected"] as? String == "(sensitive)", "\(content)")
        #expect(content["actual"] as? String == "(sensitive)", "\(content)")
        for line in watch.stdout + watch.stderr {
            #expect(!line.contains(Self.canary) && !line.contains(Self.secondCanary), "\(line)")
        }
    }

    @Test func aSensitiveVariableMarksWhatUsesIt() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", """
        stack: secrets-vars
        variables:
          password: { default: "\(Self.canary)", sensitive: true }
        resources:
          conf:
            type: local_file
            properties: { path: conf.txt, content: "password = ${var.password}" }
        """)
        let plan = try Self.run(["plan"], in: dir)
        #expect(plan.stdout.contains("content = (sensitive)"), "\(plan.stdout)")
        try Self.run(["plan", "--json"], in: dir)
        try Self.run(["apply", "--auto-approve"], in: dir)
        try Self.run(["state", "show", "conf"], in: dir)
    }

    /// A file whose path is built from a secret: its id (the path) is shown as the marker in apply progress and
    /// `state list`, as its attributes are everywhere else.
    @Test func anIDBuiltFromASecretIsNotPrinted() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", """
            resources:
              secret:
                type: local_file
                properties: { path: secret.txt, sensitive_content: "\(Self.canary)" }
              named:
                type: local_file
                properties: { path: "out-${secret.sensitive_content}.txt", content: "x" }
            """)
        try Self.run(["apply", "--auto-approve"], in: dir)
        #expect(dir.exists("out-\(Self.canary).txt"), "the file is made where the secret says")
        let list = try Self.run(["state", "list"], in: dir)
        #expect(list.stdout.contains("(sensitive)"), "\(list.stdout)")
    }
}
