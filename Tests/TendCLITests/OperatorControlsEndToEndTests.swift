import Foundation
import Testing

/// Issue 15, parts 1–3 and 5, on local resources through the built binary: `--target` and `--exclude` with
/// dependencies and dependents, `--replace`, `--refresh=false`, and `apply --retry-failed` after an injected failure.
@Suite struct OperatorControlsEndToEndTests {
    /// root ← conf ← app (a file in conf), root ← notes, and an unrelated file `solo`.
    static let manifest = """
    stack: controls
    resources:
      root:
        type: local_directory
        properties: { path: out }
      conf:
        type: local_directory
        properties: { path: "${root.path}/conf" }
      app:
        type: local_file
        for_each: [api, web]
        properties: { path: "${conf.path}/${each.value}.conf", content: "service ${each.value}\\n" }
      notes:
        type: local_file
        properties: { path: "${root.path}/notes.txt", content: "notes\\n" }
      solo:
        type: local_file
        properties: { path: solo.txt, content: "solo\\n" }
    """

    static func tend(_ arguments: [String], _ dir: TemporaryDirectory) throws -> TendBinary.Result {
        try TendBinary.run(arguments + ["--no-color"], in: dir.url)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func aTargetBringsWhatItDependsOnAndLeavesTheRestAlone() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let apply = try Self.tend(["apply", "--auto-approve", "--target", "app[\"web\"]"], dir)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stdout.contains("Warning: this plan is partial (--target app[\"web\"])"), "\(apply.stdout)")
        #expect(dir.exists("out/conf/web.conf") && dir.exists("out/conf"), "the target and what it needs")
        #expect(!dir.exists("out/conf/api.conf") && !dir.exists("out/notes.txt") && !dir.exists("solo.txt"), "nothing else")
        let listed = try Self.tend(["state", "list"], dir)
        #expect(listed.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }.sorted()
                    == ["app[\"web\"]", "conf", "root"], "\(listed.stdout)")

        // The whole configuration still wants the rest; a typo is refused rather than planning everything or nothing.
        let rest = try Self.tend(["plan", "--detailed-exitcode"], dir)
        #expect(rest.status == 2 && rest.stdout.contains("Plan: 3 to add, 0 to change, 0 to destroy."), "\(rest.stdout)")
        let typo = try Self.tend(["apply", "--auto-approve", "--target", "ap"], dir)
        #expect(typo.status == 1 && typo.stderr.contains("--target ap matches no resource"), "\(typo.stderr)")
        #expect(!dir.exists("solo.txt"), "a refused target applies nothing")
        let garbage = try Self.tend(["plan", "--exclude", "app[web"], dir)
        #expect(garbage.status == 1 && garbage.stderr.contains("--exclude app[web: not a resource address"), "\(garbage.stderr)")
        // Terraform's spelling, type first, names the same resource.
        let typed = try Self.tend(["plan", "--target", "local_file.solo"], dir)
        #expect(typed.status == 0 && typed.stdout.contains("Plan: 1 to add"), "\(typed.stdout)\(typed.stderr)")
        let wrongType = try Self.tend(["plan", "--target", "local_directory.solo"], dir)
        #expect(wrongType.status == 1, "\(wrongType.stdout)")
    }

    @Test func anExclusionLeavesOutWhatDependsOnIt() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let apply = try Self.tend(["apply", "--auto-approve", "--exclude", "conf"], dir)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stdout.contains("Plan: 3 to add"), "root, notes, solo: \(apply.stdout)")
        #expect(dir.exists("out/notes.txt") && dir.exists("solo.txt"))
        #expect(!dir.exists("out/conf"), "the excluded resource is not created")
        #expect(!dir.exists("out/conf/api.conf"), "nor what depends on it")

        // An object in state but out of scope is not deleted even when the configuration no longer declares it.
        // `solo` is declared last: the manifest up to it declares everything else.
        try dir.write("main.yaml", Self.manifest.components(separatedBy: "  solo:")[0])
        let partial = try Self.tend(["apply", "--auto-approve", "--exclude", "solo"], dir)
        #expect(partial.status == 0, "\(partial.stdout)\(partial.stderr)")
        #expect(dir.exists("solo.txt"), "an excluded orphan stays")
        #expect(!partial.stdout.contains("- solo"), "\(partial.stdout)")
        let full = try Self.tend(["apply", "--auto-approve"], dir)
        #expect(full.status == 0 && !dir.exists("solo.txt"), "without the exclusion the orphan goes: \(full.stdout)")
    }

    @Test func aTargetedDestroyTakesWhatDependsOnTheTargetAlong() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try Self.tend(["apply", "--auto-approve"], dir).status == 0)
        let destroy = try Self.tend(["destroy", "--auto-approve", "--target", "conf"], dir)
        #expect(destroy.status == 0, "\(destroy.stdout)\(destroy.stderr)")
        #expect(destroy.stdout.contains("Resources: 0 added, 0 changed, 3 destroyed."), "conf and both app files: \(destroy.stdout)")
        #expect(!dir.exists("out/conf"))
        #expect(dir.exists("out/notes.txt") && dir.exists("solo.txt"), "what the target does not hold up stays")
        // Excluding from a destroy keeps what the excluded resource needs, too.
        let keep = try Self.tend(["destroy", "--auto-approve", "--exclude", "notes"], dir)
        #expect(keep.status == 0, "\(keep.stdout)\(keep.stderr)")
        #expect(dir.exists("out/notes.txt") && dir.exists("out"), "notes and the directory it lives in stay")
        #expect(!dir.exists("solo.txt"))
    }

    @Test func aSavedPartialPlanSaysSoInItsJSONAndAppliesOnlyItsScope() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let plan = try Self.tend(["plan", "--json", "--target", "notes", "-out", "partial.plan"], dir)
        #expect(plan.status == 0, "\(plan.stderr)")
        let document = try Self.json(plan.stdout)
        #expect(document["complete"] as? Bool == false)
        let partial = try #require(document["partial"] as? [String: Any])
        #expect(partial["targets"] as? [String] == ["notes"])
        let addresses = (document["resource_changes"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }.sorted()
        #expect(addresses == ["notes", "root"], "\(addresses)")
        let shown = try Self.tend(["show", "--json", "partial.plan"], dir)
        #expect(try Self.json(shown.stdout)["complete"] as? Bool == false, "\(shown.stdout)")

        let full = try Self.tend(["plan", "--json"], dir)
        #expect(try Self.json(full.stdout)["complete"] as? Bool == true)
        #expect(try Self.json(full.stdout)["partial"] == nil)

        let mixed = try Self.tend(["apply", "partial.plan", "--target", "solo"], dir)
        #expect(mixed.status == 1 && mixed.stderr.contains("a saved plan already says what it covers"), "\(mixed.stderr)")
        let apply = try Self.tend(["apply", "partial.plan"], dir)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stdout.contains("Warning: this plan is partial (--target notes)"), "\(apply.stdout)")
        #expect(dir.exists("out/notes.txt") && !dir.exists("solo.txt") && !dir.exists("out/conf"))
    }

    @Test func replacePlansANewObjectForOneThatDidNotChange() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try Self.tend(["apply", "--auto-approve"], dir).status == 0)
        let plan = try Self.tend(["plan", "--detailed-exitcode", "--replace", "notes"], dir)
        #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("-/+ notes (local_file) must be replaced (replacement requested with --replace)"), "\(plan.stdout)")
        #expect(plan.stdout.contains("Plan: 1 to add, 0 to change, 1 to destroy."), "\(plan.stdout)")
        let json = try Self.json(try Self.tend(["plan", "--json", "--replace", "notes"], dir).stdout)
        let notes = (json["resource_changes"] as? [[String: Any]] ?? []).first { $0["address"] as? String == "notes" }
        #expect(notes?["action_reason"] as? String == "replace_by_request", "\(String(describing: notes))")
        #expect((notes?["change"] as? [String: Any])?["actions"] as? [String] == ["delete", "create"])
        let apply = try Self.tend(["apply", "--auto-approve", "--replace", "notes"], dir)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let history = try Self.tend(["history", "notes"], dir)
        let actions = history.stdout.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first { $0 == "create" || $0 == "delete" }.map(String.init)
        }
        #expect(actions == ["create", "delete", "create"], "newest first: replaced once after the first create: \(history.stdout)")
        #expect(try dir.read("out/notes.txt") == "notes\n")
        #expect(try Self.tend(["plan", "--detailed-exitcode"], dir).status == 0, "nothing left to do")

        let missing = try Self.tend(["plan", "--replace", "gone"], dir)
        #expect(missing.status == 1 && missing.stderr.contains("--replace gone matches no resource"), "\(missing.stderr)")
        let destroy = try Self.tend(["destroy", "--auto-approve", "--replace", "notes"], dir)
        #expect(destroy.status == 1 && destroy.stderr.contains("--replace cannot be combined with a destroy"), "\(destroy.stderr)")
        #expect(dir.exists("out/notes.txt"))
    }

    @Test func refreshFalsePlansAgainstTheRecordedStateAndSaysSo() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try Self.tend(["apply", "--auto-approve"], dir).status == 0)
        try dir.write("out/notes.txt", "edited outside tend\n")
        let blind = try Self.tend(["plan", "--detailed-exitcode", "--refresh=false"], dir)
        #expect(blind.status == 0, "the recorded state matches: \(blind.stdout)\(blind.stderr)")
        #expect(blind.stdout.contains("Warning: not refreshed (--refresh=false)"), "\(blind.stdout)")
        #expect(blind.stdout.contains("The recorded state matches the configuration."), "\(blind.stdout)")
        let json = try Self.tend(["plan", "--json", "--refresh=false"], dir)
        #expect(try Self.json(json.stdout)["refreshed"] as? Bool == false)
        let seeing = try Self.tend(["plan", "--detailed-exitcode"], dir)
        #expect(seeing.status == 2 && seeing.stdout.contains("notes (local_file) was changed outside tend"), "\(seeing.stdout)")

        // A declared change is still planned without a refresh.
        try dir.write("main.yaml", Self.manifest.replacingOccurrences(of: "content: \"solo\\n\"", with: "content: \"solo 2\\n\""))
        let changed = try Self.tend(["apply", "--auto-approve", "--refresh=false"], dir)
        #expect(changed.status == 0 && changed.stdout.contains("Plan: 0 to add, 1 to change, 0 to destroy."), "\(changed.stdout)")
        #expect(try dir.read("solo.txt") == "solo 2\n")
        #expect(try dir.read("out/notes.txt") == "edited outside tend\n", "the unseen drift stays as it was")
    }

    @Test func aTargetedDriftCheckReadsOnlyItsScope() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try Self.tend(["apply", "--auto-approve"], dir).status == 0)
        try dir.write("out/notes.txt", "edited\n")
        try dir.write("solo.txt", "edited\n")
        let drift = try Self.tend(["drift", "--json", "--target", "solo"], dir)
        #expect(drift.status == 0, "\(drift.stderr)")
        let document = try Self.json(drift.stdout)
        let findings = (document["findings"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }
        #expect(Set(findings) == ["solo"], "\(drift.stdout)")
        #expect((document["partial"] as? [String: Any])?["targets"] as? [String] == ["solo"])
        let text = try Self.tend(["drift", "--exclude", "solo"], dir)
        #expect(text.stdout.contains("notes (local_file)") && !text.stdout.contains("solo (local_file)"), "\(text.stdout)")
        #expect(text.stdout.contains("Warning: a partial check (--exclude solo)"), "\(text.stdout)")
    }

    @Test func retryFailedCarriesOutOnlyWhatTheFailedApplyLeftUndone() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", """
        stack: retry
        resources:
          base:
            type: local_directory
            properties: { path: out }
          good:
            type: local_file
            properties: { path: "${base.path}/good.txt", content: "good\\n" }
          blocked:
            type: local_file
            properties: { path: "${base.path}/blocker/blocked.txt", content: "blocked\\n" }
          after:
            type: local_file
            properties: { path: "${blocked.path}.copy", content: "after\\n" }
        """)
        #expect(try Self.tend(["plan", "-out", "saved.plan"], dir).status == 0)
        // A plain file where the blocked file's directory must go: its create fails, and what depends on it is skipped.
        try dir.write("out/blocker", "in the way\n")
        let failed = try Self.tend(["apply", "saved.plan"], dir)
        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stderr.contains("1 failed, 1 skipped"), "\(failed.stderr)")
        let goodHistory = try Self.tend(["history", "good"], dir).stdout

        let again = try Self.tend(["apply", "saved.plan"], dir)
        #expect(again.status == 1 && again.stderr.contains("saved plan is stale"), "the plan itself is spent: \(again.stderr)")

        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("out/blocker"))
        let retried = try Self.tend(["apply", "--retry-failed", "saved.plan"], dir)
        #expect(retried.status == 0, "\(retried.stdout)\(retried.stderr)")
        #expect(retried.stdout.contains("Plan: 2 to add, 0 to change, 0 to destroy."), "only blocked and after: \(retried.stdout)")
        #expect(!retried.stdout.contains("+ good"), "\(retried.stdout)")
        #expect(try dir.read("out/blocker/blocked.txt.copy") == "after\n")
        #expect(try Self.tend(["history", "good"], dir).stdout == goodHistory, "what succeeded is not done twice")
        #expect(try Self.tend(["plan", "--detailed-exitcode"], dir).status == 0)
    }

    @Test func retryFailedRefusesWhenSomethingElseMoved() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", """
        stack: moved
        resources:
          one:
            type: local_file
            properties: { path: one.txt, content: "one\\n" }
          blocked:
            type: local_file
            properties: { path: blocker/blocked.txt, content: "blocked\\n" }
        """)
        #expect(try Self.tend(["plan", "-out", "saved.plan"], dir).status == 0)
        let early = try Self.tend(["apply", "--retry-failed", "saved.plan"], dir)
        #expect(early.status == 1 && early.stderr.contains("has not been applied yet"), "\(early.stderr)")
        try dir.write("blocker", "in the way\n")
        #expect(try Self.tend(["apply", "saved.plan"], dir).status == 1)
        // Someone else applies in between: the failed plan's leftovers may no longer be what anyone wants.
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("blocker"))
        let other = try Self.tend(["apply", "--auto-approve", "--target", "blocked"], dir)
        #expect(other.status == 0, "\(other.stdout)\(other.stderr)")
        let refused = try Self.tend(["apply", "--retry-failed", "saved.plan"], dir)
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(refused.stderr.contains("cannot retry the failed part of this plan: run #"), "\(refused.stderr)")
        let without = try Self.tend(["apply", "--retry-failed"], dir)
        #expect(without.status == 1 && without.stderr.contains("--retry-failed needs the plan file"), "\(without.stderr)")
    }
}
