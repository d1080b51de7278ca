import Foundation
import TendEngine
import TendState
import Testing

/// The stack id lives with the state: renaming or moving the configuration directory changes nothing.
@Suite(.serialized) struct StackIdentityEndToEndTests {
    /// No `stack:`: the id is the one recorded with the state. The files live outside the configuration directory
    /// (`out`, absolute): local objects are identified by their absolute paths, so files that moved along with a
    /// renamed directory would be other objects.
    static func manifest(out: URL) -> String {
        """
        resources:
          root:
            type: local_directory
            properties: { path: "\(out.path)" }
          note:
            type: local_file
            properties: { path: "${root.path}/note.txt", content: "hello\\n" }
        """
    }

    /// `stack: X` from `tend state info`.
    static func stack(in directory: URL) throws -> String? {
        let info = try TendBinary.run(["state", "info"], in: directory)
        return info.stdout.split(separator: "\n").first { $0.hasPrefix("stack: ") }.map { String($0.dropFirst(7)) }
    }

    /// The `stack` field of `tend report --format json`.
    static func reportedStack(in directory: URL) throws -> String? {
        let report = try TendBinary.run(["report", "--format", "json"], in: directory)
        return (try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])?["stack"] as? String
    }

    static func rename(_ parent: TemporaryDirectory, _ from: String, to: String) throws -> URL {
        let target = parent.url.appendingPathComponent(to)
        try FileManager.default.moveItem(at: parent.url.appendingPathComponent(from), to: target)
        return target
    }

    @Test func stackIDStaysWhenTheDirectoryIsRenamed() throws {
        let parent = try TemporaryDirectory()
        try parent.write("first/main.yaml", Self.manifest(out: parent.url.appendingPathComponent("out")))
        let first = parent.url.appendingPathComponent("first")
        let apply = try TendBinary.run(["apply", "--auto-approve"], in: first)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let id = try #require(try Self.stack(in: first))
        #expect(id != "first", "a new state gets its own id, not the folder's name")
        #expect(try Self.reportedStack(in: first) == id)

        let second = try Self.rename(parent, "first", to: "second")
        let plan = try TendBinary.run(["plan", "--detailed-exitcode"], in: second)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(try Self.stack(in: second) == id)
        #expect(try Self.reportedStack(in: second) == id)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: second).status == 0)
        #expect(try Self.stack(in: second) == id)
    }

    @Test func aSavedPlanAndItsApplyUseTheSameProposedID() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest(out: dir.url.appendingPathComponent("out")))
        let plan = try TendBinary.run(["plan", "-out", "changes.plan"], in: dir.url)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(!dir.exists(".tend/state.db"), "plan must not write state")
        // The saved plan is sealed under the key beside the state; open it as apply does.
        let keyPath = PlanKey.path(besideState: dir.url.appendingPathComponent(".tend/state.db").path)
        let data = try Data(contentsOf: dir.url.appendingPathComponent("changes.plan"))
        let planned = try PlanFile.decode(data, path: "changes.plan") { try PlanKey.load(from: keyPath) }.settings.stack

        let apply = try TendBinary.run(["apply", "changes.plan"], in: dir.url)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(try Self.stack(in: dir.url) == planned)
    }

    /// A state written by a tend that did not record ids (schema 1): its objects carry the folder's name, so the
    /// first run after the upgrade records that name, and it stays when the folder is renamed afterwards.
    @Test func aStateFromBeforeStackIDsAdoptsTheDirectoryName() throws {
        let parent = try TemporaryDirectory()
        try parent.write("legacy-name/main.yaml", Self.manifest(out: parent.url.appendingPathComponent("out")))
        let legacy = parent.url.appendingPathComponent("legacy-name")
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: legacy).status == 0)
        let downgrade = try TendBinary.python(["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("ALTER TABLE meta DROP COLUMN stack_id")
            db.execute("DROP TABLE deposed")
            db.execute("ALTER TABLE resources DROP COLUMN private")
            db.execute("ALTER TABLE lock DROP COLUMN process")
            db.execute("ALTER TABLE drift_findings DROP COLUMN context")
            db.execute("DROP TABLE outputs")
            db.execute("ALTER TABLE meta DROP COLUMN encryption")
            db.execute("ALTER TABLE runs DROP COLUMN actor")
            db.execute("PRAGMA user_version = 1")
            db.commit()
            """, legacy.appendingPathComponent(".tend/state.db").path])
        #expect(downgrade.status == 0, "\(downgrade.stderr)")
        #expect(try Self.stack(in: legacy)?.hasPrefix("(not recorded yet") == true)

        // First use after the upgrade: an apply that changes nothing still records the id.
        let apply = try TendBinary.run(["apply", "--auto-approve"], in: legacy)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(try Self.stack(in: legacy) == "legacy-name")

        let renamed = try Self.rename(parent, "legacy-name", to: "renamed")
        #expect(try TendBinary.run(["plan", "--detailed-exitcode"], in: renamed).status == 0)
        #expect(try TendBinary.run(["drift"], in: renamed).status == 0)
        #expect(try Self.stack(in: renamed) == "legacy-name")
    }
}
