import Foundation
import Testing
import TendConfig
import TendModel

/// Odd input yields diagnostics, never a crash.
@Suite struct RobustnessTests {
    @Test(arguments: [
        "",
        "# only a comment\n",
        "resources:\n",
        "resources: 5\n",
        "variables: [a]\nproviders: x\nsettings: 3\n",
        "? [a, b]\n: c\n",
        "---\na: 1\n---\nb: 2\n",
        "resources:\n  a: &x { type: local_file, properties: { path: /a } }\n  b: *x\n",
        "resources:\n  a: { type: local_file, properties: { path: \"${}\" } }\n",
        "resources:\n  a: { type: local_file, properties: { path: \"${\" } }\n",
        "resources:\n  a: { type: local_file, properties: { path: \"$${\" } }\n",
        "resources:\n  a: { type: local_file, properties: { path: \"${var.}\" } }\n",
        "resources:\n  a: { type: local_file, properties: { path: '${a[}' } }\n",
        "resources:\n  a: { type: local_file, properties: { path: '${b[\"x}' } }\n",
        "resources:\n  a: { type: local_file, properties: { path: '${each.value.x.y[3]}' } }\n",
        "resources:\n  a: { type: local_file, count: 1e20, properties: { path: /a } }\n",
        "resources:\n  a: { type: local_file, count: 2.5, properties: { path: /a } }\n",
        "resources:\n  a: { type: local_file, for_each: [[a], {b: c}, ~], properties: { path: /a } }\n",
        "resources:\n  a: { type: [local_file], properties: { path: /a }, options: [x] }\n",
        "resources:\n  a: { type: test_thing, properties: { tags: [1], ports: { a: 1 }, enabled: [] } }\n",
        "resources:\n  \"é\": { type: local_file, properties: { path: \"/é/${var.x}\" } }\n",
        "\tresources: {}\n",
        "resources:\n  a: { type: local_file, properties: { path: /a, content: \"${a.size}\" }, options: { depends_on: [a, a], drift: 3 } }\n",
        "{\"resources\": {\"a\": {\"type\": \"local_file\", \"properties\": {\"path\": 7}}}}\n",
    ])
    func neverCrashes(manifest: String) throws {
        let directory = try TemporaryDirectory(files: ["main.yaml": manifest])
        defer { directory.remove() }
        let result = directory.load(variables: ["x": "[unclosed"], varFiles: [directory.file("missing.yaml")])
        #expect(result.diagnostics.hasErrors)
        for diagnostic in result.diagnostics {
            _ = DiagnosticRenderer.render(diagnostic, sources: result.sources)
        }
    }

    @Test func reportsDiagnosticsSortedByLocation() throws {
        let directory = try TemporaryDirectory(files: [
            "b.yaml": "resources:\n  x: { type: nope }\n",
            "a.yaml": "resources:\n  y: { type: nah }\n  z: { type: local_file }\n",
        ])
        defer { directory.remove() }
        let result = directory.load()
        let lines = result.headlines(relativeTo: directory.path)
        #expect(lines == [
            "a.yaml:2:14: error: unknown resource type \"nah\"",
            "a.yaml:3:14: error: missing required attribute \"path\" for local_file",
            "b.yaml:2:14: error: unknown resource type \"nope\"",
        ])
    }
}
