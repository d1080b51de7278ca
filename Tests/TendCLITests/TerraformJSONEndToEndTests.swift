import Foundation
import Testing

/// Issue 14, parts 1 and 2: `tend plan --json` carries what tools that read Terraform plan JSON look for
/// (`terraform_version`, `planned_values`, `prior_state`, `configuration`, …), and `tend show --json` prints the state
/// in Terraform's values representation or a saved plan's JSON. Through the built binary; a sensitive variable's
/// value appears nowhere.
@Suite struct TerraformJSONEndToEndTests {
    static let canary = "tend-canary-5e81d2"

    static let manifest = """
        stack: tfjson-e2e
        variables:
          token: { default: "\(canary)", sensitive: true }
        resources:
          dir:
            type: local_directory
            properties: { path: out }
          f:
            type: local_file
            count: 2
            properties: { path: "${dir.path}/f${count.index}.txt", content: "hello ${count.index}" }
          secret:
            type: local_file
            properties: { path: out/s.txt, sensitive_content: "${var.token}" }
            options: { depends_on: [dir] }
        """

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func resources(_ module: Any?) -> [[String: Any]] {
        ((module as? [String: Any])?["root_module"] as? [String: Any])?["resources"] as? [[String: Any]] ?? []
    }

    static func run(_ arguments: [String], in dir: TemporaryDirectory, status: Int32 = 0,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> TendBinary.Result {
        let result = try TendBinary.run(arguments, in: dir.url)
        #expect(result.status == status, "tend \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stdout.contains(canary) && !result.stderr.contains(canary),
                "tend \(arguments.joined(separator: " ")) printed the sensitive value", sourceLocation: sourceLocation)
        return result
    }

    @Test func planJSONHasPlannedValuesPriorStateAndConfiguration() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let plan = try Self.json(try Self.run(["plan", "--json"], in: dir).stdout)
        #expect(plan["terraform_version"] as? String == "1.11.0")
        #expect(plan["format_version"] as? String == "1.2")
        #expect((plan["timestamp"] as? String)?.hasSuffix("Z") == true)
        #expect(plan["output_changes"] as? [String: Any] != nil)

        let planned = Self.resources(plan["planned_values"])
        #expect(planned.map { $0["address"] as? String } == ["dir", "f[0]", "f[1]", "secret"])
        let f1 = try #require(planned.first { $0["address"] as? String == "f[1]" })
        #expect(f1["index"] as? Int == 1 && f1["name"] as? String == "f" && f1["type"] as? String == "local_file")
        #expect(f1["provider_name"] as? String == "local" && f1["mode"] as? String == "managed")
        let values = try #require(f1["values"] as? [String: Any])
        #expect(values["content"] as? String == "hello 1" && values["path"] as? String == "out/f1.txt")
        let secret = try #require(planned.first { $0["address"] as? String == "secret" })
        #expect((secret["sensitive_values"] as? [String: Any])?["sensitive_content"] as? Bool == true)
        #expect((secret["values"] as? [String: Any])?["sensitive_content"] is NSNull)
        let prior = Self.resources((plan["prior_state"] as? [String: Any])?["values"])
        #expect(prior.isEmpty, "nothing exists before the first apply")

        let configuration = Self.resources(plan["configuration"])
        #expect(configuration.map { $0["address"] as? String } == ["dir", "f", "secret"], "one entry per declared resource")
        let f = try #require(configuration.first { $0["address"] as? String == "f" })
        let expressions = try #require(f["expressions"] as? [String: [String: Any]])
        #expect(expressions["path"]?["references"] as? [String] == ["dir.path", "dir"])
        #expect(expressions["content"]?["constant_value"] as? String == "hello 0")
        #expect(expressions["mode"] == nil, "a default the loader filled in is not configuration")
        #expect(f["count_expression"] != nil)
        let secretConfig = try #require(configuration.first { $0["address"] as? String == "secret" })
        #expect((secretConfig["expressions"] as? [String: [String: Any]])?["sensitive_content"]?.isEmpty == true)
        #expect(secretConfig["depends_on"] as? [String] == ["dir"])
    }

    @Test func showPrintsTheStateAndASavedPlan() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let empty = try Self.json(try Self.run(["show", "--json"], in: dir).stdout)
        let none = Self.resources(empty["values"])
        #expect(none.isEmpty)

        let saved = try Self.run(["plan", "--json", "-out", "p.plan"], in: dir).stdout
        #expect(try Self.run(["show", "--json", "p.plan"], in: dir).stdout == saved, "show prints the saved plan's JSON")
        #expect(try Self.run(["show", "p.plan"], in: dir).stdout.contains("f[1] (local_file) will be created"))

        try Self.run(["apply", "--auto-approve"], in: dir)
        let state = try Self.json(try Self.run(["show", "--json"], in: dir).stdout)
        #expect(state["format_version"] as? String == "1.0" && state["terraform_version"] as? String == "1.11.0")
        let resources = Self.resources(state["values"])
        #expect(resources.map { $0["address"] as? String } == ["dir", "f[0]", "f[1]", "secret"])
        let f0 = try #require(resources.first { $0["address"] as? String == "f[0]" })
        #expect((f0["values"] as? [String: Any])?["content"] as? String == "hello 0")
        let text = try Self.run(["show"], in: dir).stdout
        #expect(text.contains("# f[0] (local_file)") && text.contains("sensitive_content = (sensitive)"))

        // After apply, a plan's prior state is the refreshed state.
        let again = try Self.json(try Self.run(["plan", "--json"], in: dir).stdout)
        let refreshed = Self.resources((again["prior_state"] as? [String: Any])?["values"])
        #expect(refreshed.count == 4)
        #expect(again["applyable"] as? Bool == false)
    }

    @Test func showOfAFileThatIsNotAPlanFailsClearly() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        try dir.write("not-a-plan", "{}")
        let result = try Self.run(["show", "--json", "not-a-plan"], in: dir, status: 1)
        #expect(result.stderr.contains("not-a-plan is not a tend plan file"))
        #expect(result.stdout.isEmpty)
    }
}
