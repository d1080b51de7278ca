import Foundation
import Testing

/// `tend watch` through the built binary: webhooks, metrics, a failed run with backoff, shutdown on SIGTERM.
@Suite(.serialized) struct WatchEndToEndTests {
    static let manifest = """
    stack: watch-e2e
    resources:
      root:
        type: local_directory
        properties: { path: out }
      note:
        type: local_file
        properties: { path: "${root.path}/note.txt", content: "hello\\nfrom tend\\n", mode: "0644" }
    """

    static let secret = "e2e-secret"

    /// The fixture webhook receiver, on 127.0.0.1 with a free port; fails its first request with 500.
    static func startReceiver(recordingTo file: URL) throws -> (RunningProcess, Int) {
        let script = TendBinary.packageRoot.appendingPathComponent("fixtures/webhook/receiver.py").path
        let receiver = try RunningProcess(executable: "/usr/bin/env", arguments: ["python3", script, file.path, "1"],
                                          in: file.deletingLastPathComponent(),
                                          environment: ["TEND_WEBHOOK_SECRET": secret])
        let (_, line) = try receiver.waitForLine { !$0.isEmpty }
        guard let port = Int(line) else { throw RunningProcess.Timeout(description: "receiver printed \(line)") }
        return (receiver, port)
    }

    /// GET through curl: status and body.
    static func fetch(_ url: String) throws -> (status: Int, body: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-s", "--max-time", "5", "-w", "\n%{http_code}", url]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let status = Int(text.split(separator: "\n").last ?? "") ?? 0
        return (status, String(text.dropLast(String(status).count)))
    }

    /// The value of one sample in Prometheus text.
    static func sample(_ name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    static func records(_ file: URL) -> [[String: Any]] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test func watchesNotifiesServesMetricsSurvivesFailuresAndStopsCleanly() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        let hooks = dir.url.appendingPathComponent("hooks.jsonl")
        let (receiver, hookPort) = try Self.startReceiver(recordingTo: hooks)
        defer { receiver.stop() }

        let watch = try RunningProcess(
            executable: TendBinary.path,
            arguments: ["watch", "--interval", "1s", "--jitter", "0", "--listen", "127.0.0.1:0",
                        "--webhook", "http://127.0.0.1:\(hookPort)/hook"],
            in: dir.url, environment: ["TEND_WEBHOOK_SECRET": Self.secret])
        defer { watch.stop() }
        let (_, listening) = try watch.waitForLine { $0.hasPrefix("listening on ") }
        let address = String(listening.dropFirst("listening on ".count))
        #expect(address.hasPrefix("127.0.0.1:") && !address.hasSuffix(":0"))

        // Cycle 1 clean; cycle 2 sees a hand edit; cycle 3 sees it put back.
        let first = try watch.waitForLine { $0.contains(" clean: ") }
        try dir.write("out/note.txt", "hello\nfrom a hand\n")
        let drifted = try watch.waitForLine(after: first.index + 1) { $0.contains(" drift: ") }
        // One finding per cause: the content, with sha256 and size as its context.
        #expect(drifted.line.contains("1 open finding (1 new, 0 resolved)"), "\(drifted.line)")
        let driftMetrics = try Self.fetch("http://\(address)/metrics")
        #expect(driftMetrics.status == 200)
        #expect(Self.sample("tend_drift_findings{kind=\"changed\"}", in: driftMetrics.body) == 1)
        #expect(Self.sample("tend_managed_resources", in: driftMetrics.body) == 2)
        #expect(Self.sample("tend_default_objects", in: driftMetrics.body) == 0, "local files have no cloud defaults")
        #expect((Self.sample("tend_runs_total{outcome=\"drift\"}", in: driftMetrics.body) ?? 0) >= 1)
        #expect((Self.sample("tend_runs_total{outcome=\"clean\"}", in: driftMetrics.body) ?? 0) >= 1)
        try dir.write("out/note.txt", "hello\nfrom tend\n")
        let restored = try watch.waitForLine(after: drifted.index + 1) { $0.contains(" clean: ") }
        #expect(restored.line.contains("(0 new, 1 resolved)"), "\(restored.line)")

        // A broken manifest fails the run; the loop keeps going and recovers once it is fixed.
        try dir.write("main.yaml", "stack: watch-e2e\nresources: [unclosed\n")
        try watch.waitForLine(stderr: true) { $0.contains("watch: run failed: ") }
        let failedMetrics = try Self.fetch("http://\(address)/metrics")
        #expect((Self.sample("tend_runs_total{outcome=\"failed\"}", in: failedMetrics.body) ?? 0) >= 1)
        let health = try Self.fetch("http://\(address)/healthz")
        #expect(health.status == 200)
        #expect(health.body.contains(#""status":"ok""#))
        let seen = watch.stdout.count
        try dir.write("main.yaml", Self.manifest)
        try watch.waitForLine(after: seen) { $0.contains(" clean: ") }
        #expect(watch.stderr.filter { $0.contains("run failed") }.allSatisfy { $0.contains("main.yaml:") }, "\(watch.stderr)")

        // Webhooks: one payload with the new findings, one with them resolved, each signed.
        let deadline = Date().addingTimeInterval(5)
        while Self.records(hooks).count < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let received = Self.records(hooks)
        try #require(received.count == 2, "\(received)")
        for record in received {
            #expect(record["signature_valid"] as? Bool == true, "\(record)")
            #expect(record["content_type"] as? String == "application/json")
            #expect(record["path"] as? String == "/hook")
        }
        let payloads = try received.map { try #require(JSONSerialization.jsonObject(with: Data(($0["body"] as? String ?? "").utf8)) as? [String: Any]) }
        let opened = payloads[0]["new"] as? [[String: Any]] ?? []
        #expect(payloads[0]["event"] as? String == "drift")
        #expect(payloads[0]["stack"] as? String == "watch-e2e")
        #expect(opened.map { "\($0["address"] ?? "") \($0["path"] ?? "")" }.sorted() == ["note content"])
        #expect((opened.first?["context"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["sha256", "size"])
        // A multi-line value carries its unified diff.
        let diff = opened.first?["diff"] as? String ?? ""
        #expect(diff.contains("@@ -1,2 +1,2 @@") && diff.contains("\n-from tend") && diff.contains("\n+from a hand"), "\(diff)")
        #expect(((payloads[0]["summary"] as? [String: Any])?["total_defaults"] as? Int) == 0)
        #expect((payloads[0]["resolved"] as? [Any])?.isEmpty == true)
        let resolved = payloads[1]["resolved"] as? [[String: Any]] ?? []
        #expect(resolved.count == 1)
        #expect(resolved.allSatisfy { $0["resolution"] as? String == "reverted" })
        #expect((payloads[1]["new"] as? [Any])?.isEmpty == true)

        // SIGTERM: the run in flight ends, the server stops, exit 0, the lock is free.
        let status = watch.send(signal: SIGTERM)
        #expect(status == 0, "stderr: \(watch.stderr)")
        #expect(watch.stdout.last?.hasPrefix("Stopped after ") == true, "\(watch.stdout)")
        #expect(try Self.fetch("http://\(address)/healthz").status == 0, "the server is gone")
        let after = try TendBinary.run(["drift", "--detailed-exitcode"], in: dir.url)
        #expect(after.status == 0, "\(after.stderr)")
        let history = try TendBinary.run(["history"], in: dir.url)
        #expect(history.stdout.contains("drift  failed"), "\(history.stdout)")
        #expect(try TendBinary.run(["state", "list"], in: dir.url).status == 0)
    }

    @Test(arguments: [
        (["--interval", "0.5s"], "--interval must be at least 1s"),
        (["--interval", "soon"], "--interval expects a duration"),
        (["--jitter", "150%"], "--jitter must be below 100%"),
        (["--listen", "nowhere"], "--listen expects HOST:PORT"),
        (["--webhook", "ftp://example.invalid/"], "--webhook expects an http:// or https:// URL"),
    ])
    func badOptionsAreClearErrors(arguments: [String], message: String) throws {
        let dir = try TemporaryDirectory()
        let result = try TendBinary.run(["watch"] + arguments, in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func anAddressInUseIsAnErrorAtStartup() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let (receiver, port) = try Self.startReceiver(recordingTo: dir.url.appendingPathComponent("hooks.jsonl"))
        defer { receiver.stop() }
        let result = try TendBinary.run(["watch", "--listen", "127.0.0.1:\(port)"], in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot serve metrics on 127.0.0.1:\(port)"), "\(result.stderr)")
    }

    @Test func sigintDuringTheWaitStopsAtOnce() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        let watch = try RunningProcess(executable: TendBinary.path,
                                       arguments: ["watch", "--interval", "1h", "--listen", "127.0.0.1:0"], in: dir.url)
        defer { watch.stop() }
        try watch.waitForLine { $0.contains(" clean: ") }
        let start = Date()
        #expect(watch.send(signal: SIGINT) == 0, "\(watch.stderr)")
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(watch.stdout.last == "Stopped after 1 run.")
    }

    @Test func sighupStopsLikeSigintAndLeavesNoLock() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        let watch = try RunningProcess(executable: TendBinary.path,
                                       arguments: ["watch", "--interval", "1h", "--listen", "127.0.0.1:0"], in: dir.url)
        defer { watch.stop() }
        try watch.waitForLine(timeout: 120) { $0.contains(" clean: ") }
        #expect(watch.send(signal: SIGHUP, timeout: 120) == 0, "\(watch.stderr)")
        #expect(watch.stdout.last == "Stopped after 1 run.")
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0, "the lock is free")
    }
}
