import Foundation
import LocalProvider
import ProviderKit
import TendConfig
import TendEngine
import TendModel
import TendState
import Testing
@testable import TendCLI

/// Golden-file scenarios in fixtures/<scenario>/: manifests per version (v1/, v2/), a scenario.json of steps,
/// and the expected outputs next to them. Re-record with RECORD_SNAPSHOTS=1.
///
/// Steps: {"apply": "v1"} applies a version (expected summary in `apply-<v>.txt` when "expect" is set),
/// {"write": {"path", "content"}}, {"remove": "path"}, {"chmod": {"path", "mode"}} change the world outside tend,
/// {"plan": "v2"} plans a version and compares `plan.txt` and `plan.json` (or `errors.txt` when planning fails),
/// {"save_plan": "v1"} saves a plan in memory, {"apply_saved": true, "expect": "name"} applies it.
@Suite struct GoldenScenarioTests {
    static let scenarios = [
        "create", "update-in-place", "replace-on-forced-attribute", "delete-removed-from-config",
        "drift-deleted-out-of-band", "drift-modified-out-of-band", "cycle-detected", "partial-apply-skips-dependents",
        "stale-plan-refused", "prevent-destroy", "for-each-expansion",
    ]

    static var fixtures: URL { TendBinary.packageRoot.appendingPathComponent("fixtures") }

    @Test(arguments: scenarios)
    func scenarioMatchesGoldenFiles(name: String) async throws {
        let folder = Self.fixtures.appendingPathComponent(name)
        let data = try Data(contentsOf: folder.appendingPathComponent("scenario.json"))
        let scenario = try JSONDecoder().decode(Scenario.self, from: data)
        let work = try TemporaryDirectory()
        var runner = ScenarioRunner(folder: folder, work: work.url)
        for step in scenario.steps {
            try await runner.run(step)
        }
        #expect(runner.compared > 0, "a scenario must compare at least one golden file")
    }
}

struct Scenario: Decodable {
    struct Edit: Decodable {
        var path: String
        var content: String?
        var mode: String?
    }

    struct Step: Decodable {
        var apply: String?
        var plan: String?
        var savePlan: String?
        var applySaved: Bool?
        var expect: String?
        var write: Edit?
        var remove: String?
        var chmod: Edit?

        enum CodingKeys: String, CodingKey {
            case apply, plan, expect, write, remove, chmod
            case savePlan = "save_plan"
            case applySaved = "apply_saved"
        }
    }

    var steps: [Step]
}

/// Runs scenario steps in-process against the real local provider and a SQLite state in a temporary folder.
struct ScenarioRunner {
    let folder: URL
    let work: URL
    var saved: PlanFile?
    var compared = 0

    init(folder: URL, work: URL) {
        self.folder = folder
        self.work = work
    }

    var registry: ProviderRegistry { Workspace.makeRegistry() }

    func engine() throws -> Engine {
        let store = SQLiteStateStore(path: work.appendingPathComponent(".tend/state.db").path, createIfMissing: false)
        return Engine(registry: registry, store: store, clock: { Date(timeIntervalSince1970: 1_800_000_000) }, retry: .none)
    }

    /// Copies a version's manifests into the work folder, replacing the previous version's.
    func useVersion(_ version: String) throws {
        let manager = FileManager.default
        for file in try manager.contentsOfDirectory(atPath: work.path) where file.hasSuffix(".yaml") {
            try manager.removeItem(at: work.appendingPathComponent(file))
        }
        let source = folder.appendingPathComponent(version)
        for file in try manager.contentsOfDirectory(atPath: source.path) {
            try manager.copyItem(at: source.appendingPathComponent(file), to: work.appendingPathComponent(file))
        }
    }

    func load(_ version: String) throws -> (LoadResult, Configuration?) {
        try useVersion(version)
        let result = ConfigLoader(catalog: registry.catalog).load(directory: work.path, variables: [:], varFiles: [],
                                                                   environment: [:])
        return (result, result.diagnostics.hasErrors ? nil : result.configuration)
    }

    func settings(_ configuration: Configuration) -> PlanSettings {
        // Local types tag nothing: a fixed id keeps the scenarios deterministic.
        PlanSettings(directory: work.path, stack: configuration.stack ?? "golden", providers: configuration.providers)
    }

    mutating func run(_ step: Scenario.Step) async throws {
        let manager = FileManager.default
        if let edit = step.write {
            try Data((edit.content ?? "").utf8).write(to: work.appendingPathComponent(edit.path))
        }
        if let path = step.remove {
            try manager.removeItem(at: work.appendingPathComponent(path))
        }
        if let edit = step.chmod, let mode = edit.mode.flatMap({ Int($0, radix: 8) }) {
            try manager.setAttributes([.posixPermissions: mode], ofItemAtPath: work.appendingPathComponent(edit.path).path)
        }
        if let version = step.apply {
            let (loaded, configuration) = try load(version)
            let config = try #require(configuration, "\(loaded.diagnostics.map(\.headline))")
            let engine = try engine()
            let plan = try await engine.plan(specs: config.specs, settings: settings(config))
            let result = try await engine.apply(plan, settings: settings(config), parallelism: 4)
            if let name = step.expect {
                try compare(summary(result), to: name)
            } else {
                #expect(!result.hasFailures, "\(result.failed)")
            }
        }
        if let version = step.savePlan {
            let (_, configuration) = try load(version)
            let config = try #require(configuration)
            saved = PlanFile(settings: settings(config), plan: try await engine().plan(specs: config.specs, settings: settings(config)))
        }
        if step.applySaved == true, let file = saved {
            let engine = try engine()
            do {
                try await engine.checkFresh(file.plan)
                let result = try await engine.apply(file.plan, settings: file.settings)
                try compare(summary(result), to: step.expect ?? "apply-saved.txt")
            } catch let error as EngineError {
                try compare(error.diagnostics.map(\.headline).joined(separator: "\n") + "\n", to: step.expect ?? "errors.txt")
            }
        }
        if let version = step.plan {
            try await plan(version)
        }
    }

    mutating func plan(_ version: String) async throws {
        let (loaded, configuration) = try load(version)
        guard let config = configuration else {
            try compare(render(loaded.diagnostics, sources: loaded.sources), to: "errors.txt")
            return
        }
        do {
            let plan = try await engine().plan(specs: config.specs, settings: settings(config))
            try compare(PlanTextView(palette: Palette(enabled: false)).render(plan), to: "plan.txt")
            try compare(PlanJSONView().render(plan), to: "plan.json")
        } catch let error as EngineError {
            try compare(render(error.diagnostics, sources: loaded.sources), to: "errors.txt")
        }
    }

    func render(_ diagnostics: [Diagnostic], sources: [String: String]) -> String {
        diagnostics.map { DiagnosticRenderer.render($0, sources: sources) }.joined(separator: "\n")
            .replacingOccurrences(of: work.path + "/", with: "") + "\n"
    }

    func summary(_ result: ApplyResult) -> String {
        var out = ""
        for address in result.succeeded.keys.sorted() { out += "succeeded \(address) \(result.succeeded[address]?.rawValue ?? "")\n" }
        for address in result.failed.keys.sorted() {
            let reason = (result.failed[address] ?? "").replacingOccurrences(of: work.path + "/", with: "")
            out += "failed \(address): \(reason)\n"
        }
        for address in result.skipped { out += "skipped \(address)\n" }
        return out
    }

    mutating func compare(_ raw: String, to name: String) throws {
        compared += 1
        // Lineages are random UUIDs: the golden files hold a placeholder.
        let actual = raw.replacingOccurrences(of: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                                              with: "<lineage>", options: .regularExpression)
        let file = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try Data(actual.utf8).write(to: file)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "\(folder.lastPathComponent)/\(name) differs; re-record with RECORD_SNAPSHOTS=1 after checking")
    }
}
