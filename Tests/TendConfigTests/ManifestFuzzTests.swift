import Foundation
import Testing
@testable import TendConfig
import TendFuzzing
import TendModel

/// Mutated manifests and interpolations never crash or hang the loader, and every refusal says what is wrong.
/// `TEND_FUZZ_INPUTS` sets the number of inputs per target (the full run: `make torture`).
@Suite struct ManifestFuzzTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let environment = ProcessInfo.processInfo.environment

    /// Every manifest of the fixtures and examples, the seeds of the mutations.
    static var manifestCorpus: [[UInt8]] {
        let fixtures = FuzzCorpus.files(under: packageRoot.appendingPathComponent("fixtures"), extensions: ["yaml", "yml"])
        let examples = FuzzCorpus.files(under: packageRoot.appendingPathComponent("examples"), extensions: ["yaml", "yml"])
        return (fixtures + examples).filter { $0.count < 64 << 10 }
    }

    /// Loads the text as the one manifest of a configuration, through variables, interpolation and for_each.
    static func loadManifest(_ bytes: [UInt8], name: String = "main.yaml") -> FuzzRunner.Outcome {
        let text = String(decoding: bytes, as: UTF8.self)
        let result = TestCatalog.loader.load(texts: [(name, text)], variables: ["env": "dev"], environment: ["HOME": "/h"])
        for diagnostic in result.diagnostics {
            _ = DiagnosticRenderer.render(diagnostic, sources: result.sources)
        }
        guard let first = result.diagnostics.first(where: { $0.severity == .error }) else { return .accepted }
        return .rejected(first.summary)
    }

    /// Parses a template and each of its interpolations.
    static func parseTemplate(_ bytes: [UInt8]) -> FuzzRunner.Outcome {
        let text = String(decoding: bytes, as: UTF8.self)
        switch Template.parse(text) {
        case let .failure(error):
            return .rejected(error.message)
        case let .success(template):
            for case let .interpolation(inner, _) in template.segments {
                if case let .failure(problem) = ExpressionSyntax.parse(inner) { return .rejected(problem.reason) }
            }
            return .accepted
        }
    }

    @Test func manifestLoaderSurvivesMutatedManifests() {
        let runner = FuzzRunner(target: "manifest", defaultInputs: 2_000, environment: Self.environment, mutator: .yaml)
        let summary = runner.run(corpus: Self.manifestCorpus) { Self.loadManifest($0) }
        #expect(summary.hangs == 0, "slowest input took \(summary.slowest): \(String(decoding: summary.slowestInput.prefix(300), as: UTF8.self))")
        #expect(summary.silentErrors == 0)
        #expect(summary.accepted > 0 && summary.errors > 0, "the mutations should make both valid and invalid manifests")
    }

    static let expressionCorpus: [[UInt8]] = [
        "${var.env}", "a-${each.value}-b", "${each.key}", "${count.index}", "${env.HOME}/x", "${web.id}",
        "${data.ami.attributes[\"id\"]}", "${a.b[0].c}", "${main.tags[\"team\"]}", "$${literal}", "plain text",
        "${var.list[2]}", "pre ${var.a} mid ${var.b} post", "${ var.spaced }", "${a[\"}\"]}",
    ].map { Array($0.utf8) }

    @Test func expressionParserSurvivesMutatedTemplates() {
        let runner = FuzzRunner(target: "expression", defaultInputs: 10_000, environment: Self.environment, mutator: .yaml)
        let summary = runner.run(corpus: Self.expressionCorpus) { Self.parseTemplate($0) }
        #expect(summary.hangs == 0)
        #expect(summary.silentErrors == 0)
        #expect(summary.accepted > 0 && summary.errors > 0)
    }

    /// Templates inside a manifest are evaluated, not only parsed: references, each.*, count.index, env and var.
    @Test func interpolationSurvivesMutatedTemplatesInAManifest() {
        let runner = FuzzRunner(target: "interpolation", defaultInputs: 1_000, environment: Self.environment, mutator: .yaml)
        let summary = runner.run(corpus: Self.expressionCorpus) { bytes in
            let template = String(decoding: bytes, as: UTF8.self)
            let quoted = "\"" + template.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
            let manifest = """
                variables: { env: { default: dev }, list: { default: [a, b, c] } }
                resources:
                  web: { type: test_thing, properties: { name: web, tags: { team: x } } }
                  f:
                    type: local_file
                    for_each: [a, b]
                    properties: { path: "/tmp/${each.key}", content: \(quoted) }
                """
            return Self.loadManifest(Array(manifest.utf8))
        }
        #expect(summary.hangs == 0)
        #expect(summary.silentErrors == 0)
    }

    /// Inputs that once crashed or hung a target, kept under fixtures/fuzz/<target>/.
    @Test(arguments: ["manifest", "expression"])
    func savedInputsStillLoad(target: String) {
        let saved = FuzzCorpus.regressions(target: target, packageRoot: Self.packageRoot)
        for (name, bytes) in saved {
            let clock = ContinuousClock()
            let start = clock.now
            let outcome = target == "manifest" ? Self.loadManifest(bytes) : Self.parseTemplate(bytes)
            #expect(clock.now - start < .seconds(5), "\(name) took too long")
            if case let .rejected(message) = outcome { #expect(!message.isEmpty, "\(name)") }
        }
    }
}
