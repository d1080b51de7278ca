import Foundation
import Testing

/// The built binary, start to finish, in temporary folders.
@Suite(.serialized) struct EndToEndTests {
    static let manifest = """
    stack: e2e
    variables:
      env: { default: dev }
    resources:
      root:
        type: local_directory
        properties: { path: out }
      notes:
        type: local_file
        properties:
          path: ${root.path}/notes.txt
          content: "env = ${var.env}\\n"
          mode: "0644"
      site:
        type: local_file
        for_each: [a, b]
        properties:
          path: ${root.path}/${each.value}.conf
          content: "site ${each.key}\\n"
      link:
        type: local_symlink
        properties: { path: "${root.path}/current", target: a.conf }
        options: { depends_on: [site] }
    """

    @Test func fullLifecycleFromPlanToDestroy() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)

        let validate = try TendBinary.run(["validate"], in: dir.url)
        #expect(validate.status == 0, "\(validate.stderr)")

        let first = try TendBinary.run(["plan", "--detailed-exitcode"], in: dir.url)
        #expect(first.status == 2, "\(first.stderr)")
        #expect(first.stdout.contains("Plan: 5 to add, 0 to change, 0 to destroy."))
        #expect(!dir.exists(".tend/state.db"), "plan must not write state")

        let apply = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(try dir.read("out/notes.txt") == "env = dev\n")
        #expect(try dir.read("out/a.conf") == "site a\n")
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: dir.url.appendingPathComponent("out/current").path)
        #expect(target == "a.conf")

        let noop = try TendBinary.run(["plan", "--detailed-exitcode"], in: dir.url)
        #expect(noop.status == 0, "\(noop.stdout)\(noop.stderr)")
        #expect(noop.stdout.contains("No changes."))

        // Someone edits a file by hand.
        try dir.write("out/notes.txt", "env = prod\n")
        let drift = try TendBinary.run(["plan", "--detailed-exitcode"], in: dir.url)
        #expect(drift.status == 2)
        #expect(drift.stdout.contains("notes (local_file) was changed outside tend"))
        #expect(drift.stdout.contains("content: \"env = dev\\n\" → \"env = prod\\n\""))
        #expect(drift.stdout.contains("notes (local_file) will be updated in place"))
        #expect(drift.stdout.contains("Plan: 0 to add, 1 to change, 0 to destroy."))

        let fix = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(fix.status == 0, "\(fix.stderr)")
        #expect(try dir.read("out/notes.txt") == "env = dev\n")
        #expect(try TendBinary.run(["plan", "--detailed-exitcode"], in: dir.url).status == 0)

        let list = try TendBinary.run(["state", "list"], in: dir.url)
        #expect(list.stdout.split(separator: "\n").count == 5)

        let destroy = try TendBinary.run(["destroy", "--auto-approve"], in: dir.url)
        #expect(destroy.status == 0, "\(destroy.stderr)")
        #expect(!dir.exists("out"))
        #expect(try TendBinary.run(["state", "list"], in: dir.url).stdout.isEmpty)

        let history = try TendBinary.run(["history"], in: dir.url)
        #expect(history.stdout.contains("destroy"))
        let audit = try TendBinary.run(["audit"], in: dir.url)
        #expect(audit.status == 0)
        #expect(audit.stdout.contains("hash chain verified"))
    }

    @Test func invalidManifestExitsOneAndWritesNothing() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", """
        resources:
          f:
            type: local_file
            properties: { path: x.txt, mod: "0644", content: hi }
        """)
        for command in [["validate"], ["plan"], ["apply", "--auto-approve"]] {
            let result = try TendBinary.run(command, in: dir.url)
            #expect(result.status == 1)
            #expect(result.stderr.contains("main.yaml:4:"), "\(result.stderr)")
            #expect(result.stderr.contains("did you mean \"mode\""))
        }
        #expect(!dir.exists(".tend"))
        #expect(!dir.exists("x.txt"))
    }

    @Test(arguments: [["plan", "--no-such-flag"], ["apply", "--parallelism", "0"], ["plan", "--var", "novalue"], ["bogus"]])
    func badFlagsExitOne(arguments: [String]) throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let result = try TendBinary.run(arguments, in: dir.url)
        #expect(result.status == 1, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
        #expect(!dir.exists(".tend"))
    }

    @Test func applyWithoutTerminalRefusesToGuess() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let result = try TendBinary.run(["apply"], in: dir.url, stdin: "yes\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("--auto-approve"))
        #expect(!dir.exists("out"))
    }

    @Test func corruptStateIsReportedAndLeftAlone() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        try dir.write(".tend/state.db", "this is not a database, and it must survive\n")
        for command in [["plan"], ["apply", "--auto-approve"], ["state", "list"]] {
            let result = try TendBinary.run(command, in: dir.url)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("state.db"))
        }
        #expect(try dir.read(".tend/state.db") == "this is not a database, and it must survive\n")
        #expect(!dir.exists("out"))
    }

    @Test func savedPlanAppliesOnceThenIsStale() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let plan = try TendBinary.run(["plan", "-out", "tend.plan"], in: dir.url)
        #expect(plan.status == 0, "\(plan.stderr)")
        let first = try TendBinary.run(["apply", "tend.plan"], in: dir.url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(dir.exists("out/notes.txt"))
        let again = try TendBinary.run(["apply", "tend.plan"], in: dir.url)
        #expect(again.status == 1)
        #expect(again.stderr.contains("saved plan is stale"))

        try dir.write("garbage.plan", "{\"format\": \"something-else\"}")
        let garbage = try TendBinary.run(["apply", "garbage.plan"], in: dir.url)
        #expect(garbage.status == 1)
        #expect(garbage.stderr.contains("not a tend plan file"))
    }
}

/// Locks through the binary: a lock held on another host blocks apply and is cleared by force-unlock.
/// (A dead holder on this host is broken by itself: see `LockAndSignalEndToEndTests`.)
@Suite struct LockEndToEndTests {
    @Test func aRemoteLockIsReportedAndForceUnlockClearsIt() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", EndToEndTests.manifest)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)

        // A process that has exited: its pid is free here, but the lock names another host, where it may live.
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let insert = """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1])
            db.execute("INSERT INTO lock (slot, id, holder, operation, pid, host, since) VALUES (1,?,?,?,?,?,?)",
                       ("dead-lock-1", "ci@crashed", "apply", int(sys.argv[2]), sys.argv[3], time.time()))
            db.commit()
            """
        let python = try TendBinary.python(["-c", insert, dir.url.appendingPathComponent(".tend/state.db").path,
                                                    String(dead.processIdentifier), "elsewhere.invalid"])
        #expect(python.status == 0, "\(python.stderr)")

        let blocked = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("dead-lock-1"))
        #expect(blocked.stderr.contains("force-unlock"), "\(blocked.stderr)")

        let unlock = try TendBinary.run(["force-unlock", "dead-lock-1"], in: dir.url)
        #expect(unlock.status == 0, "\(unlock.stderr)")
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        #expect(try TendBinary.run(["force-unlock", "no-such-lock"], in: dir.url).status == 1)
    }
}

/// The host name as tend records it in locks.
enum LocalHostName {
    static var name: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
