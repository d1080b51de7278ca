import Foundation
import Testing

/// A Terraform provider (the Python test provider in fixtures/plugin-provider) declared with `source` and
/// `version`, found offline in a filesystem mirror named by TEND_PLUGIN_DIRS, locked in .tend.lock.json, and used by
/// plan, apply, drift, import and destroy like a built-in provider; mixed in one stack with a built-in type.
@Suite(.serialized) struct PluginEndToEndTests {
    /// A mirror with the test provider at version 1.0.0 (and 0.9.0, which the constraint excludes).
    final class Mirror {
        let dir: TemporaryDirectory
        var path: String { dir.url.path }

        init(protocolVersion: Int = 5) throws {
            dir = try TemporaryDirectory()
            for version in ["0.9.0", "1.0.0"] {
                let binDir = dir.url.appendingPathComponent("tend.test/tend/tendtest/\(version)/linux_amd64")
                try FileManager.default.createDirectory(at: binDir, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(
                    atPath: binDir.appendingPathComponent("terraform-provider-tendtest_v\(version)_x\(protocolVersion)").path,
                    withDestinationPath: TendBinary.packageRoot.appendingPathComponent("fixtures/plugin-provider/terraform-provider-tendtest").path)
            }
        }
    }

    static func manifest(store: String, content: String = "hello", extra: String = "") -> String {
        """
        stack: plugins
        providers:
          test:
            source: tend.test/tend/tendtest
            version: ">= 1.0"
            config: { store: "\(store)" }
        resources:
          item:
            type: tendtest_item
            properties:
              name: first
              content: \(content)
              tags: [b, a]
              rule: [{ port: 443 }]
          copy:
            type: local_file
            properties: { path: out/id.txt, content: "${item.id}" }
        \(extra)
        """
    }

    @Test func aPluginTypeIsPlannedAppliedDriftCheckedAndDestroyedLikeABuiltInOne() async throws {
        let mirror = try Mirror()
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("store").path
        let cache = dir.url.appendingPathComponent("cache").path
        try dir.write("main.yaml", Self.manifest(store: store))
        func tend(_ arguments: [String]) async throws -> TendBinary.Result {
            try await TendBinary.runOffPool(arguments, in: dir.url, environment: ["TEND_PLUGIN_DIRS": mirror.path, "XDG_CACHE_HOME": cache])
        }
        let plan = try await tend(["plan", "--detailed-exitcode"])
        #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("tendtest_item"), "\(plan.stdout)")
        let lock = try dir.read(".tend.lock.json")
        #expect(lock.contains("\"tend.test/tend/tendtest\""), "\(lock)")
        #expect(lock.contains("\"1.0.0\""), "\(lock)")
        #expect(lock.contains("sha256:"), "\(lock)")

        let apply = try await tend(["apply", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let ids = try FileManager.default.contentsOfDirectory(atPath: store).filter { $0.hasSuffix(".json") }
        #expect(ids.count == 1)
        let id = String(try #require(ids.first).dropLast(5))
        #expect(try dir.read("out/id.txt") == id)

        let again = try await tend(["plan", "--detailed-exitcode"])
        #expect(again.status == 0, "no changes after apply: \(again.stdout)\(again.stderr)")

        // Drift: the object changed behind tend's back, through the provider's own store.
        let objectPath = (store as NSString).appendingPathComponent("\(id).json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: objectPath))) as? [String: Any])
        object["content"] = "tampered"
        object["size"] = 7
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: objectPath))
        let drift = try await tend(["drift", "detect", "--json", "--detailed-exitcode"])
        #expect(drift.status == 2, "\(drift.stdout)\(drift.stderr)")
        #expect(drift.stdout.contains("\"content\""), "\(drift.stdout)")
        #expect(drift.stdout.contains("\"size\""), "\(drift.stdout)")

        // The declared content is put back; size, which the configuration leaves to the provider, is what the
        // provider now says it is (Terraform's semantics for optional+computed attributes).
        let fix = try await tend(["apply", "--auto-approve"])
        #expect(fix.status == 0, "\(fix.stdout)\(fix.stderr)")
        let fixed = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: objectPath))) as? [String: Any])
        #expect(fixed["content"] as? String == "hello")
        #expect(fixed["size"] as? Int == 7)
        let settled = try await tend(["plan", "--detailed-exitcode"])
        #expect(settled.status == 0, "\(settled.stdout)\(settled.stderr)")

        let destroy = try await tend(["destroy", "--auto-approve"])
        #expect(destroy.status == 0, "\(destroy.stdout)\(destroy.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store).filter { $0.hasSuffix(".json") }.isEmpty)
    }

    /// `data.greeting` is read at plan time and its value planned into the item; `data.later` reads the item's id,
    /// so it is read during apply, before the file that refers to it.
    @Test func dataSourcesAreReadAtPlanTimeOrDuringApplyBeforeWhatRefersToThem() async throws {
        let mirror = try Mirror()
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("store").path
        let cache = dir.url.appendingPathComponent("cache").path
        try dir.write("main.yaml", """
        stack: plugins
        providers:
          test:
            source: tend.test/tend/tendtest
            version: ">= 1.0"
            config: { store: "\(store)" }
        data:
          greeting: { type: tendtest_echo, properties: { input: hello } }
          later: { type: tendtest_echo, properties: { input: "${item.id}" } }
        resources:
          item:
            type: tendtest_item
            properties: { name: first, content: "${data.greeting.output}" }
          copy:
            type: local_file
            properties: { path: out/echo.txt, content: "${data.later.output} ${data.later.length}" }
        """)
        func tend(_ arguments: [String]) async throws -> TendBinary.Result {
            try await TendBinary.runOffPool(arguments, in: dir.url, environment: ["TEND_PLUGIN_DIRS": mirror.path, "XDG_CACHE_HOME": cache])
        }
        let validate = try await tend(["validate"])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")

        let plan = try await tend(["plan", "--detailed-exitcode"])
        #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("<= data.later (tendtest_echo) will be read during apply"), "\(plan.stdout)")
        #expect(!plan.stdout.contains("data.greeting"), "a data source read at plan time needs no line: \(plan.stdout)")
        #expect(plan.stdout.contains("\"HELLO\""), "the item's content is planned from the read: \(plan.stdout)")

        let json = try await tend(["plan", "--json"])
        #expect(json.stdout.contains(#""address":"data.later""#), "\(json.stdout)")
        #expect(json.stdout.contains(#""actions":["read"]"#), "\(json.stdout)")

        let apply = try await tend(["apply", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let ids = try FileManager.default.contentsOfDirectory(atPath: store).filter { $0.hasSuffix(".json") }
        let id = String(try #require(ids.first).dropLast(5))
        let objectPath = (store as NSString).appendingPathComponent("\(id).json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: objectPath))) as? [String: Any])
        #expect(object["content"] as? String == "HELLO")
        #expect(try dir.read("out/echo.txt") == "\(id.uppercased()) \(id.count)")

        let again = try await tend(["plan", "--detailed-exitcode"])
        #expect(again.status == 0, "no changes, and nothing left to read during apply: \(again.stdout)\(again.stderr)")
        #expect(!again.stdout.contains("data.later"), "\(again.stdout)")
        let state = try await tend(["state", "list"])
        #expect(!state.stdout.contains("data."), "data sources are not stored in state: \(state.stdout)")
    }

    @Test func aChangedBinaryIsRefusedByTheLockFile() async throws {
        let mirror = try Mirror()
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest(store: dir.url.appendingPathComponent("store").path))
        let environment = ["TEND_PLUGIN_DIRS": mirror.path, "XDG_CACHE_HOME": dir.url.appendingPathComponent("cache").path]
        let first = try await TendBinary.runOffPool(["validate"], in: dir.url, environment: environment)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        // Another binary in the locked version's place.
        let binary = mirror.dir.url.appendingPathComponent("tend.test/tend/tendtest/1.0.0/linux_amd64/terraform-provider-tendtest_v1.0.0_x5")
        try FileManager.default.removeItem(at: binary)
        try Data("#!/bin/sh\necho not the provider\n".utf8).write(to: binary)
        chmod(binary.path, 0o755)
        let second = try await TendBinary.runOffPool(["plan"], in: dir.url, environment: environment)
        #expect(second.status == 1)
        #expect(second.stderr.contains("changed since it was locked"), "\(second.stderr)")
    }

    @Test func aMissingProviderSaysWhereTendLookedAndHowToInstallOne() async throws {
        let dir = try TemporaryDirectory()
        let empty = try TemporaryDirectory()
        try dir.write("main.yaml", """
            providers:
              queue: { source: hashicorp/nosuch, version: "~> 1.0" }
            resources: {}
            """)
        let result = try await TendBinary.runOffPool(["plan"], in: dir.url, environment: ["TEND_PLUGIN_DIRS": empty.url.path,
                                                                             "XDG_CACHE_HOME": dir.url.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("main.yaml:2:"), "\(result.stderr)")
        #expect(result.stderr.contains("registry.terraform.io/hashicorp/nosuch"), "\(result.stderr)")
        #expect(result.stderr.contains(empty.url.path), "\(result.stderr)")
        #expect(result.stderr.contains("TEND_PLUGIN_DIRS"), "\(result.stderr)")
    }

    @Test func providersListsWhatWasFound() async throws {
        let mirror = try Mirror(protocolVersion: 6)
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest(store: dir.url.appendingPathComponent("store").path))
        let result = try await TendBinary.runOffPool(["providers"], in: dir.url, environment: ["TEND_PLUGIN_DIRS": mirror.path,
                                                                                  "XDG_CACHE_HOME": dir.url.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("test  tend.test/tend/tendtest >= 1.0  →  1.0.0, protocol 6"), "\(result.stdout)")
        #expect(result.stdout.contains("tend.test/tend/tendtest 0.9.0"), "\(result.stdout)")
        #expect(result.stdout.contains(mirror.path), "\(result.stdout)")
    }
}

extension PluginEndToEndTests {
    @Test func aProviderDiagnosticPointsAtTheAttributeInTheManifest() async throws {
        let mirror = try Mirror()
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", """
            providers:
              test: { source: tend.test/tend/tendtest, config: { store: "\(dir.url.appendingPathComponent("store").path)" } }
            resources:
              item:
                type: tendtest_item
                properties:
                  name: first
                  size: -3
            """)
        let result = try await TendBinary.runOffPool(["plan"], in: dir.url, environment: ["TEND_PLUGIN_DIRS": mirror.path,
                                                                             "XDG_CACHE_HOME": dir.url.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("main.yaml:8:13:"), "\(result.stderr)")
        #expect(result.stderr.contains("size"), "\(result.stderr)")
    }
}

extension PluginEndToEndTests {
    @Test func aSavedPlanOfPluginTypesApplies() async throws {
        let mirror = try Mirror()
        let dir = try TemporaryDirectory()
        let store = dir.url.appendingPathComponent("store").path
        try dir.write("main.yaml", Self.manifest(store: store))
        let environment = ["TEND_PLUGIN_DIRS": mirror.path, "XDG_CACHE_HOME": dir.url.appendingPathComponent("cache").path]
        let plan = try await TendBinary.runOffPool(["plan", "-out", "changes.plan"], in: dir.url, environment: environment)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        let apply = try await TendBinary.runOffPool(["apply", "changes.plan"], in: dir.url, environment: environment)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store).filter { $0.hasSuffix(".json") }.count == 1)
        let again = try await TendBinary.runOffPool(["plan", "--detailed-exitcode"], in: dir.url, environment: environment)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    }
}
