import Foundation
import Testing

/// What a plugin cannot break: a crash mid-apply records nothing as done, a hang is bounded by the provider
/// block's timeout and SIGTERM still stops the run and its plugin, sensitive attributes of the plugin's schema are
/// marks, and `tend import` adopts a plugin object.
@Suite(.serialized) struct PluginSafetyEndToEndTests {
    typealias Mirror = PluginEndToEndTests.Mirror

    static func manifest(store: String, timeout: Int? = nil, secret: Bool = false) -> String {
        """
        providers:
          test:
            source: tend.test/tend/tendtest
            \(timeout.map { "timeout: \($0)" } ?? "")
            config: { store: "\(store)" }
        resources:
          item:
            type: tendtest_item
            properties:
              name: first
              content: hello
              \(secret ? "secret: hunter2-canary" : "")
        """
    }

    @Test func aCrashDuringApplyRecordsNothingAsDone() async throws {
        let mirror = try Mirror()
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("store").path
        try dir.write("main.yaml", Self.manifest(store: store))
        var environment = ["TEND_PLUGIN_DIRS": mirror.path, "XDG_CACHE_HOME": dir.url.path, "TENDTEST_FAULT": "crash_on_apply"]
        let crashed = try await TendBinary.runOffPool(["apply", "--auto-approve"], in: dir.url, environment: environment)
        #expect(crashed.status == 1)
        #expect(crashed.stdout.contains("provider test crashed during ApplyResourceChange") ||
                crashed.stderr.contains("provider test crashed during ApplyResourceChange"), "\(crashed.stdout)\(crashed.stderr)")
        let listed = try await TendBinary.runOffPool(["state", "list"], in: dir.url, environment: environment)
        #expect(!listed.stdout.contains("item "), "nothing recorded as created: \(listed.stdout)")
        environment["TENDTEST_FAULT"] = ""
        let retried = try await TendBinary.runOffPool(["apply", "--auto-approve"], in: dir.url, environment: environment)
        #expect(retried.status == 0, "\(retried.stdout)\(retried.stderr)")
        let after = try await TendBinary.runOffPool(["plan", "--detailed-exitcode"], in: dir.url, environment: environment)
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store).filter { $0.hasSuffix(".json") }.count == 1)
    }

    @Test func aHungPluginIsBoundedByItsTimeoutAndSIGTERMLeavesNoPluginBehind() throws {
        let mirror = try Mirror()
        let dir = try TemporaryDirectory()
        // The timeout covers the schema read and the plan too; 8 s leaves room for a machine busy with other tests.
        try dir.write("main.yaml", Self.manifest(store: dir.url.appendingPathComponent("store").path, timeout: 8))
        let run = try RunningProcess(executable: TendBinary.path, arguments: ["apply", "--auto-approve"], in: dir.url,
                                     environment: ["TEND_PLUGIN_DIRS": mirror.path, "XDG_CACHE_HOME": dir.url.path,
                                                   "TENDTEST_FAULT": "hang_on_apply"])
        defer { run.stop() }
        // The plan is shown before apply begins; the create then hangs in the plugin.
        try run.waitForLine(timeout: 30) { $0.contains("Plan: 1 to add") }
        Thread.sleep(forTimeInterval: 0.5)
        #expect(Self.plugins(under: mirror.path) >= 1, "the plugin runs")
        let status = run.send(signal: SIGTERM, timeout: 30)
        #expect(status == 143, "stdout: \(run.stdout) stderr: \(run.stderr)")
        let text = (run.stdout + run.stderr).joined(separator: "\n")
        #expect(text.contains("did not answer ApplyResourceChange (item) within 8 s"), "\(text)")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(Self.plugins(under: mirror.path) == 0, "no plugin process outlives tend")
    }

    @Test func sensitiveAttributesOfThePluginSchemaAreNeverPrinted() async throws {
        let mirror = try Mirror()
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest(store: dir.url.appendingPathComponent("store").path, secret: true))
        let environment = ["TEND_PLUGIN_DIRS": mirror.path, "XDG_CACHE_HOME": dir.url.path]
        let plan = try await TendBinary.runOffPool(["plan"], in: dir.url, environment: environment)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("secret"), "\(plan.stdout)")
        let apply = try await TendBinary.runOffPool(["apply", "--auto-approve"], in: dir.url, environment: environment)
        let json = try await TendBinary.runOffPool(["plan", "--json"], in: dir.url, environment: environment)
        let shown = try await TendBinary.runOffPool(["state", "show", "item"], in: dir.url, environment: environment)
        for output in [plan.stdout, plan.stderr, apply.stdout, apply.stderr, json.stdout, shown.stdout] {
            #expect(!output.contains("hunter2-canary"), "\(output)")
        }
    }

    @Test func importAdoptsAPluginObject() async throws {
        let mirror = try Mirror()
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("store").path
        let environment = ["TEND_PLUGIN_DIRS": mirror.path, "XDG_CACHE_HOME": dir.url.path]
        // Made by another stack first, then adopted here.
        let other = try TemporaryDirectory()
        try other.write("main.yaml", Self.manifest(store: store))
        #expect(try await TendBinary.runOffPool(["apply", "--auto-approve"], in: other.url, environment: environment).status == 0)
        let id = String(try #require(try FileManager.default.contentsOfDirectory(atPath: store).first { $0.hasSuffix(".json") })
            .dropLast(5))
        try dir.write("main.yaml", Self.manifest(store: store))
        let imported = try await TendBinary.runOffPool(["import", "item", id], in: dir.url, environment: environment)
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        let plan = try await TendBinary.runOffPool(["plan", "--detailed-exitcode"], in: dir.url, environment: environment)
        #expect(plan.status == 0, "the imported object matches the configuration: \(plan.stdout)\(plan.stderr)")
        let missing = try await TendBinary.runOffPool(["import", "item", "item-000000000000"], in: dir.url, environment: environment)
        #expect(missing.status == 1)
    }

    /// Plugin processes started from this mirror that still run.
    static func plugins(under mirror: String) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { pid in
            guard Int(pid) != nil, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(mirror)
        }.count
    }
}
