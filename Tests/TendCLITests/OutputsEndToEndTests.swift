import Foundation
import Testing

/// Issue 14, part 3, through the built binary: outputs evaluated at plan time where known, shown after apply, kept
/// in state, read with `tend output`, and present in plan JSON and `tend show --json`; sensitive ones never printed.
@Suite struct OutputsEndToEndTests {
    static let canary = "hunter2-output-canary"

    static let manifest = """
    stack: outputs
    variables:
      token: { default: \(canary), sensitive: true }
      greeting: { default: hello }
    resources:
      root:
        type: local_directory
        properties: { path: out }
      motd:
        type: local_file
        properties: { path: "${root.path}/motd.txt", content: "${var.greeting}\\n" }
      secret:
        type: local_file
        properties: { path: "${root.path}/secret.txt", content: "${var.token}" }
    outputs:
      motd_path:
        value: ${motd.path}
        description: Where the message of the day lives
      motd_digest:
        value: ${motd.sha256}
      summary:
        value: { files: ["${motd.path}", "${secret.path}"], greeting: "${var.greeting}" }
      token:
        value: ${secret.content}
        sensitive: true
    """

    static func tend(_ arguments: [String], _ dir: TemporaryDirectory) throws -> TendBinary.Result {
        try TendBinary.run(arguments + ["--no-color"], in: dir.url)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func outputsArePlannedShownRecordedAndReadBack() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        var printed: [String] = []

        let plan = try Self.tend(["plan"], dir)
        printed += [plan.stdout, plan.stderr]
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("Changes to Outputs:"), "\(plan.stdout)")
        #expect(plan.stdout.contains("+ motd_path   = \"out/motd.txt\""), "known at plan time: \(plan.stdout)")
        #expect(plan.stdout.contains("+ token       = (sensitive)"), "\(plan.stdout)")

        let planJSON = try Self.json(try Self.tend(["plan", "--json"], dir).stdout)
        let changes = try #require(planJSON["output_changes"] as? [String: [String: Any]])
        #expect(Set(changes.keys) == ["motd_digest", "motd_path", "summary", "token"])
        #expect(changes["motd_path"]?["actions"] as? [String] == ["create"])
        #expect(changes["motd_path"]?["after"] as? String == "out/motd.txt")
        #expect(changes["token"]?["after"] is NSNull && changes["token"]?["after_sensitive"] as? Bool == true)
        let planned = (planJSON["planned_values"] as? [String: Any])?["outputs"] as? [String: [String: Any]]
        #expect(planned?["motd_path"]?["value"] as? String == "out/motd.txt")
        #expect(planned?["token"]?["sensitive"] as? Bool == true && planned?["token"]?["value"] == nil)
        let configured = ((planJSON["configuration"] as? [String: Any])?["root_module"] as? [String: Any])?["outputs"] as? [String: [String: Any]]
        #expect(configured?["motd_path"]?["description"] as? String == "Where the message of the day lives")
        #expect((configured?["motd_path"]?["expression"] as? [String: Any])?["references"] as? [String] == ["motd.path", "motd"])

        let apply = try Self.tend(["apply", "--auto-approve"], dir)
        printed += [apply.stdout, apply.stderr]
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("Outputs:\n\nmotd_digest = \""), "\(apply.stdout)")
        #expect(apply.stdout.contains("token       = (sensitive)"), "\(apply.stdout)")
        #expect(try Self.tend(["plan", "--detailed-exitcode"], dir).status == 0, "nothing left to do, outputs included")

        let all = try Self.tend(["output"], dir)
        printed += [all.stdout, all.stderr]
        #expect(all.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) } == ["motd_digest", "motd_path", "summary", "token"])
        #expect(all.stdout.contains("summary     = { files = [\"out/motd.txt\", \"out/secret.txt\"], greeting = \"hello\" }"), "\(all.stdout)")
        let raw = try Self.tend(["output", "--raw", "motd_path"], dir)
        #expect(raw.status == 0 && raw.stdout == "out/motd.txt", "no quotes, no newline: \(raw.stdout)")
        let one = try Self.tend(["output", "summary", "--json"], dir)
        #expect(try Self.json(one.stdout)["greeting"] as? String == "hello")
        let listed = try Self.json(try Self.tend(["output", "--json"], dir).stdout)
        #expect((listed["motd_path"] as? [String: Any])?["value"] as? String == "out/motd.txt")
        #expect((listed["token"] as? [String: Any])?["sensitive"] as? Bool == true)
        #expect((listed["token"] as? [String: Any])?["value"] == nil)

        for arguments in [["output", "token", "--raw"], ["output", "token", "--json"]] {
            let refused = try Self.tend(arguments, dir)
            printed += [refused.stdout, refused.stderr]
            #expect(refused.status == 1 && refused.stderr.contains("output \"token\" is sensitive"), "\(arguments): \(refused.stderr)")
        }
        let missing = try Self.tend(["output", "nope"], dir)
        #expect(missing.status == 1 && missing.stderr.contains("no output named \"nope\""), "\(missing.stderr)")
        let list = try Self.tend(["output", "--raw", "summary"], dir)
        #expect(list.status == 1 && list.stderr.contains("--raw prints only strings, numbers and bools"), "\(list.stderr)")

        let shown = try Self.json(try Self.tend(["show", "--json"], dir).stdout)
        let stateOutputs = (shown["values"] as? [String: Any])?["outputs"] as? [String: [String: Any]]
        #expect(stateOutputs?["motd_path"]?["type"] as? String == "string")
        #expect(stateOutputs?["token"]?["value"] == nil)
        let showText = try Self.tend(["show"], dir)
        printed += [showText.stdout]
        #expect(showText.stdout.contains("Outputs:"), "\(showText.stdout)")

        // A change to what an output reads is planned as an update of the output; removing an output deletes it.
        try dir.write("main.yaml", Self.manifest.replacingOccurrences(of: "default: hello", with: "default: bonjour")
            .replacingOccurrences(of: "  motd_digest:\n    value: ${motd.sha256}\n", with: ""))
        let changed = try Self.tend(["plan"], dir)
        #expect(changed.stdout.contains("~ summary     = { files = [\"out/motd.txt\", \"out/secret.txt\"], greeting = \"hello\" } → "), "\(changed.stdout)")
        #expect(changed.stdout.contains("- motd_digest = \""), "\(changed.stdout)")
        #expect(try Self.tend(["apply", "--auto-approve"], dir).status == 0)
        #expect(try Self.tend(["output", "--raw", "summary"], dir).status == 1)
        let json = try Self.json(try Self.tend(["output", "summary", "--json"], dir).stdout)
        #expect(json["greeting"] as? String == "bonjour")
        #expect(try Self.tend(["output", "motd_digest"], dir).status == 1, "a removed output is gone from state")

        // A destroy removes them all.
        let destroy = try Self.tend(["destroy", "--auto-approve"], dir)
        #expect(destroy.status == 0 && destroy.stdout.contains("- motd_path"), "\(destroy.stdout)")
        #expect(try Self.json(try Self.tend(["output", "--json"], dir).stdout).isEmpty)

        for text in printed { #expect(!text.contains(Self.canary), "the sensitive value was printed: \(text)") }
    }

    @Test func anOutputThatReadsASecretMustSaySo() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest.replacingOccurrences(of: "\n    sensitive: true", with: "")
            + "\n  bad:\n    vaule: 1\n")
        let validate = try Self.tend(["validate"], dir)
        #expect(validate.status == 1)
        #expect(validate.stderr.contains("output \"token\" refers to a sensitive value (secret.content); declare it with sensitive: true"),
                "\(validate.stderr)")
        #expect(validate.stderr.contains("unknown key \"vaule\" in output \"bad\" (did you mean \"value\"?)"), "\(validate.stderr)")
        #expect(!validate.stderr.contains(Self.canary))
        #expect(try Self.tend(["apply", "--auto-approve"], dir).status == 1)
        #expect(!dir.exists("out"), "nothing applied")
    }
}
