import Foundation
import Testing

/// The core's promises, through the built binary: apply executes the plan, a crashed create never blocks later runs.
@Suite(.serialized) struct CoreContractEndToEndTests {
    static let manifest = """
    stack: contract
    resources:
      dir:
        type: local_directory
        properties: { path: out }
      note:
        type: local_file
        properties:
          path: ${dir.path}/note.txt
          content: "CONTENT"
          mode: "0644"
        options:
          ignore_changes: [mode]
    """

    static func mode(of path: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    // Defect 1: the plan showed the outside mode, and apply reset it anyway.
    @Test func applyKeepsAModeThatIgnoreChangesKeeps() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest.replacingOccurrences(of: "CONTENT", with: "one\\n"))
        let apply = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(apply.status == 0, "\(apply.stderr)")
        let note = dir.url.appendingPathComponent("out/note.txt")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: note.path)

        try dir.write("main.yaml", Self.manifest.replacingOccurrences(of: "CONTENT", with: "two\\n"))
        let plan = try TendBinary.run(["plan", "--json"], in: dir.url)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("\"mode\":\"0600\""), "the plan keeps the mode found: \(plan.stdout)")
        let second = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try dir.read("out/note.txt") == "two\n")
        #expect(try Self.mode(of: note) == 0o600, "apply does what the plan showed")
    }

    /// Applies the manifest, then leaves what a kill during note's create leaves, as an older tend wrote it: an
    /// intent without values (and, unless `objectWasCreated`, no file).
    static func crashDuringCreate(in dir: TemporaryDirectory, objectWasCreated: Bool) throws {
        try dir.write("main.yaml", Self.manifest.replacingOccurrences(of: "CONTENT", with: "one\\n"))
        let apply = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(apply.status == 0, "\(apply.stderr)")
        if !objectWasCreated { try FileManager.default.removeItem(at: dir.url.appendingPathComponent("out/note.txt")) }
        let state = dir.url.appendingPathComponent(".tend/state.db").path
        let edit = try TendBinary.python(["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("UPDATE resources SET status = 'create_pending', id = '', attributes = '{}' WHERE address = 'note'")
            db.commit()
            """, state])
        #expect(edit.status == 0, "\(edit.stderr)")
    }

    @Test(arguments: [true, false])
    func destroyRightAfterAnInterruptedCreateDeletesEverything(objectWasCreated: Bool) throws {
        let dir = try TemporaryDirectory()
        try Self.crashDuringCreate(in: dir, objectWasCreated: objectWasCreated)
        let destroy = try TendBinary.run(["destroy", "--auto-approve"], in: dir.url)
        #expect(destroy.status == 0, "\(destroy.stdout)\(destroy.stderr)")
        #expect(!dir.exists("out"))
        let list = try TendBinary.run(["state", "list"], in: dir.url)
        #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(list.stdout)")
    }

    // Defect 5: a create-pending row of a resource whose path references another blocked plan, apply and destroy.
    @Test(arguments: [true, false])
    func aPendingCreateWithAReferenceNeverBlocksLaterCommands(objectWasCreated: Bool) throws {
        let dir = try TemporaryDirectory()
        try Self.crashDuringCreate(in: dir, objectWasCreated: objectWasCreated)

        let plan = try TendBinary.run(["plan"], in: dir.url)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        let second = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(try dir.read("out/note.txt") == "one\n")
        let list = try TendBinary.run(["state", "list"], in: dir.url)
        #expect(list.stdout.contains("note"))
        let destroy = try TendBinary.run(["destroy", "--auto-approve"], in: dir.url)
        #expect(destroy.status == 0, "\(destroy.stdout)\(destroy.stderr)")
        #expect(!dir.exists("out/note.txt"))
    }

    @Test func importManagesAnExistingFileAndPlansNoChanges() throws {
        let dir = try TemporaryDirectory()
        try dir.write("out/x.txt", "hello\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: dir.url.appendingPathComponent("out/x.txt").path)
        try dir.write("main.yaml", """
            resources:
              x:
                type: local_file
                properties: { path: out/x.txt, content: "hello\\n", mode: "0640" }
            """)
        let absolute = dir.url.appendingPathComponent("out/x.txt").path
        let missing = try TendBinary.run(["import", "x", absolute + ".gone"], in: dir.url)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no local_file with id"), "\(missing.stderr)")
        let imported = try TendBinary.run(["import", "x", absolute], in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Imported x (local_file)"))
        let plan = try TendBinary.run(["plan", "--detailed-exitcode"], in: dir.url)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        let again = try TendBinary.run(["import", "x", absolute], in: dir.url)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already manages"))
        let undeclared = try TendBinary.run(["import", "y", absolute], in: dir.url)
        #expect(undeclared.status == 1)
        #expect(undeclared.stderr.contains("y is not declared in the configuration"))
        let audit = try TendBinary.run(["audit"], in: dir.url)
        #expect(audit.stdout.contains("import"))
    }
}
