import Foundation
import Testing

/// Locks, signals and temporary files through the built binary, on a local workload: every way a run can end
/// leaves a state the next plain `tend apply` takes over with no manual step, and a `tend destroy` that succeeds.
@Suite(.serialized) struct LockAndSignalEndToEndTests {
    /// Generous deadlines: the machine running the suite may be loaded.
    static let deadline: Double = 180

    /// A directory and `count` files in it that refer to it; enough that applying them one at a time takes a while
    /// and the plan's text overflows a pipe (64 KiB).
    static func workload(files count: Int, content: String = "v1") -> String {
        let keys = (0..<count).map { "k\($0)" }.joined(separator: ", ")
        return """
        resources:
          root:
            type: local_directory
            properties: { path: out }
          site:
            type: local_file
            for_each: [\(keys)]
            properties:
              path: ${root.path}/${each.value}.txt
              content: "\(content) ${each.key} padding so the plan text of each file is a few hundred bytes long\\n"
        """
    }

    /// tend's temporary files left in `out`.
    static func temporaryFiles(in dir: TemporaryDirectory) throws -> [String] {
        let out = dir.url.appendingPathComponent("out").path
        guard FileManager.default.fileExists(atPath: out) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.contains(".tend-") }
    }

    /// The newest run as `tend history` prints it: kind and outcome.
    static func lastRun(in dir: TemporaryDirectory) throws -> String {
        let history = try TendBinary.run(["history", "--limit", "1"], in: dir.url)
        let line = history.stdout.split(separator: "\n").first { $0.hasPrefix("  #") } ?? ""
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        return fields.count >= 4 ? "\(fields[2]) \(fields[3])" : "(no run) \(history.stdout)\(history.stderr)"
    }

    /// The pid of a process that has exited, as after a crash.
    static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    /// Writes a lock row straight into the state, as another tend would have.
    static func plantLock(in dir: TemporaryDirectory, id: String, pid: Int32, host: String, process: String? = nil) throws {
        let insert = """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1])
            db.execute("INSERT INTO lock (slot, id, holder, operation, pid, host, since, process) VALUES (1,?,?,?,?,?,?,?)",
                       (sys.argv[2], "ci@builder", "apply", int(sys.argv[3]), sys.argv[4], 1700000000.0,
                        sys.argv[5] if len(sys.argv) > 5 else None))
            db.execute("INSERT INTO runs (kind, started_at, counts) VALUES ('apply', 1700000000.0, '{}')")
            db.commit()
            """
        let python = try TendBinary.python(["-c", insert, dir.url.appendingPathComponent(".tend/state.db").path, id,
                                            String(pid), host] + (process.map { [$0] } ?? []))
        #expect(python.status == 0, "\(python.stderr)")
    }

    /// Converges, leaves no temporary file, and destroys cleanly: what must follow every kill.
    static func expectRecovery(in dir: TemporaryDirectory, files: Int, content: String = "v1") throws {
        let apply = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(!apply.stderr.contains("locked by"), "\(apply.stderr)")
        #expect(try temporaryFiles(in: dir) == [])
        #expect(try dir.read("out/k0.txt").hasPrefix("\(content) k0 "))
        #expect(try dir.read("out/k\(files - 1).txt").hasPrefix("\(content) k\(files - 1) "))
        let plan = try TendBinary.run(["plan", "--detailed-exitcode"], in: dir.url)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        let destroy = try TendBinary.run(["destroy", "--auto-approve"], in: dir.url)
        #expect(destroy.status == 0, "\(destroy.stderr)")
        #expect(!dir.exists("out"))
    }

    // MARK: Signals

    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aSignalDuringApplyReleasesTheLockAndRecordsTheRun(signal: Int32) throws {
        let dir = try TemporaryDirectory()
        let files = 400
        try dir.write("main.yaml", Self.workload(files: files))
        let apply = try RunningProcess(executable: TendBinary.path, arguments: ["apply", "--auto-approve", "--parallelism", "1"],
                                       in: dir.url)
        defer { apply.stop() }
        try apply.waitForLine(timeout: Self.deadline) { $0.hasPrefix("+ site[") && $0.contains("created in") }
        let status = apply.send(signal: signal, timeout: Self.deadline)
        #expect(status == 128 + signal, "stderr: \(apply.stderr)")
        #expect(apply.stderr.contains { $0.contains("Interrupted by") && $0.contains("releasing the state lock") }, "\(apply.stderr)")
        #expect(try Self.lastRun(in: dir) == "apply cancelled")
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("out/k\(files - 1).txt").path),
                "the signal came before the last file")
        try Self.expectRecovery(in: dir, files: files)
    }

    @Test func aKilledApplyIsTakenOverByTheNextOneWithNoManualStep() throws {
        let dir = try TemporaryDirectory()
        let files = 300
        var broken = 0
        for round in 0..<3 {
            // Apply, then a content-changing apply, then a destroy: each killed part way.
            let content = round == 1 ? "v2" : "v1"
            try dir.write("main.yaml", Self.workload(files: files, content: content))
            let command = round == 2 ? ["destroy", "--auto-approve", "--parallelism", "1"]
                                     : ["apply", "--auto-approve", "--parallelism", "1"]
            let run = try RunningProcess(executable: TendBinary.path, arguments: command, in: dir.url)
            defer { run.stop() }
            let marker = round == 2 ? "- site[" : (round == 1 ? "~ site[" : "+ site[")
            try run.waitForLine(timeout: Self.deadline) { $0.hasPrefix(marker) }
            #expect(run.send(signal: SIGKILL, timeout: Self.deadline) != nil)
            // What a kill between writing a temporary file and renaming it leaves (a kill lands there at random).
            try dir.write("out/.k1.txt.tend-\(try Self.deadPID())-5eed", "half written")

            let next = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
            #expect(next.status == 0, "round \(round): \(next.stderr)")
            if next.stderr.contains("Broke the stale state lock") { broken += 1 }
            #expect(try Self.temporaryFiles(in: dir) == [], "round \(round)")
            #expect(try dir.read("out/k0.txt").hasPrefix("\(content) k0 "))
        }
        #expect(broken == 3, "every kill left the lock held, and the next run broke it")
        let history = try TendBinary.run(["history"], in: dir.url)
        #expect(history.stdout.components(separatedBy: "abandoned").count - 1 == 3, "\(history.stdout)")
        try dir.write("out/.k2.txt.tend-\(try Self.deadPID())-0", "half written")
        let destroy = try TendBinary.run(["destroy", "--auto-approve"], in: dir.url)
        #expect(destroy.status == 0, "\(destroy.stderr)")
        #expect(!dir.exists("out"))
    }

    // MARK: Blocked output

    /// `tend apply --auto-approve | reader-that-does-not-read`: tend fills the pipe while writing the plan, under
    /// the lock, and blocks there.
    final class BlockedApply: @unchecked Sendable {
        let process = Process()
        let output = Pipe()
        private let errors = Pipe()
        private let lock = NSLock()
        private var errorText = ""

        init(in dir: TemporaryDirectory, arguments: [String] = ["apply", "--auto-approve"]) throws {
            process.executableURL = URL(fileURLWithPath: TendBinary.path)
            process.arguments = arguments
            process.currentDirectoryURL = dir.url
            var environment = ProcessInfo.processInfo.environment
            environment["NO_COLOR"] = "1"
            process.environment = environment
            process.standardOutput = output
            process.standardError = errors
            process.standardInput = FileHandle.nullDevice
            errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let text = String(decoding: handle.availableData, as: UTF8.self)
                self?.lock.withLock { self?.errorText += text }
            }
            try process.run()
        }

        var stderr: String { lock.withLock { errorText } }

        /// Waits until the unread pipe is full: tend writes its plan (far more than a pipe holds) in one go, so
        /// output that stops growing for a second means tend is blocked writing it.
        func waitUntilBlocked() throws {
            let start = Date()
            var last: Int32 = -1
            var since = Date()
            while Date().timeIntervalSince(start) < LockAndSignalEndToEndTests.deadline {
                var waiting: Int32 = 0
                _ = ioctl(output.fileHandleForReading.fileDescriptor, UInt(FIONREAD), &waiting)
                if waiting != last {
                    last = waiting
                    since = Date()
                } else if waiting >= 4096 && Date().timeIntervalSince(since) >= 1 {
                    return
                }
                if !process.isRunning { throw RunningProcess.Timeout(description: "tend exited: \(stderr)") }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw RunningProcess.Timeout(description: "the pipe never filled: \(stderr)")
        }

        /// Starts reading (and discarding) what tend writes.
        func drain() {
            output.fileHandleForReading.readabilityHandler = { handle in _ = handle.availableData }
        }

        /// Waits for the exit status.
        func waitForExit() -> Int32? {
            let start = Date()
            while process.isRunning && Date().timeIntervalSince(start) < LockAndSignalEndToEndTests.deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            return process.isRunning ? nil : process.terminationStatus
        }

        func stop() {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }

    @Test func sigintWhileOutputIsBlockedStillReleasesTheLock() throws {
        let dir = try TemporaryDirectory()
        let files = 600
        try dir.write("main.yaml", Self.workload(files: files))
        let apply = try BlockedApply(in: dir)
        defer { apply.stop() }
        try apply.waitUntilBlocked()
        kill(apply.process.processIdentifier, SIGINT)
        #expect(apply.waitForExit() == 130, "\(apply.stderr)")
        #expect(apply.stderr.contains("Interrupted by SIGINT"), "\(apply.stderr)")
        #expect(try Self.lastRun(in: dir) == "apply cancelled")
        #expect(!dir.exists("out"), "interrupted before applying, nothing was changed")
        try Self.expectRecovery(in: dir, files: files)
    }

    @Test func aReaderThatGoesAwayStopsTheApplyAndReleasesTheLock() throws {
        let dir = try TemporaryDirectory()
        let files = 600
        try dir.write("main.yaml", Self.workload(files: files))
        let apply = try BlockedApply(in: dir)
        defer { apply.stop() }
        try apply.waitUntilBlocked()
        try apply.output.fileHandleForReading.close()
        #expect(apply.waitForExit() == 128 + SIGPIPE, "\(apply.stderr)")
        #expect(apply.stderr.contains("reader of tend's output went away"), "\(apply.stderr)")
        #expect(try Self.lastRun(in: dir) == "apply cancelled")
        try Self.expectRecovery(in: dir, files: files)
    }

    // MARK: Lock holders

    @Test func aLiveHolderFailsASecondApplyAtOnceAndALockTimeoutWaitsForIt() throws {
        let dir = try TemporaryDirectory()
        let files = 600
        try dir.write("main.yaml", Self.workload(files: files))
        let first = try BlockedApply(in: dir)
        defer { first.stop() }
        try first.waitUntilBlocked()

        let second = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(second.status == 1)
        #expect(second.stderr.contains("still running") && second.stderr.contains("--lock-timeout"), "\(second.stderr)")
        #expect(second.stderr.contains("pid \(first.process.processIdentifier)"), "\(second.stderr)")

        let third = try RunningProcess(executable: TendBinary.path, arguments: ["apply", "--auto-approve", "--lock-timeout", "10m"],
                                       in: dir.url)
        defer { third.stop() }
        try third.waitForLine(stderr: true, timeout: Self.deadline) { $0.hasPrefix("Waiting up to 10m for the state lock") }
        #expect(third.process.isRunning, "it waits while the holder lives")
        first.drain()
        #expect(first.waitForExit() == 0, "\(first.stderr)")
        let start = Date()
        while third.process.isRunning && Date().timeIntervalSince(start) < Self.deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!third.process.isRunning && third.process.terminationStatus == 0, "\(third.stderr)")
        #expect(!third.stderr.contains { $0.contains("Broke") }, "a live holder's lock is waited for, never broken")
        #expect(third.stdout.contains { $0.contains("No changes.") }, "the first apply did the work")
        try Self.expectRecovery(in: dir, files: files)
    }

    @Test func aLockFromAnotherHostIsNeverBroken() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.workload(files: 3))
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        try Self.plantLock(in: dir, id: "remote-lock-1", pid: try Self.deadPID(), host: "build-7.elsewhere.invalid")

        for extra in [[], ["--lock-timeout", "1s"]] {
            let blocked = try TendBinary.run(["apply", "--auto-approve"] + extra, in: dir.url)
            #expect(blocked.status == 1)
            for part in ["ci@builder", "build-7.elsewhere.invalid", "remote-lock-1", "since 2023-11-14", "tend force-unlock remote-lock-1"] {
                #expect(blocked.stderr.contains(part), "\(part) in \(blocked.stderr)")
            }
        }
        #expect(!(try TendBinary.run(["audit"], in: dir.url).stdout.contains("break-stale-lock")))
        #expect(try TendBinary.run(["force-unlock", "remote-lock-1"], in: dir.url).status == 0)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
    }

    @Test func aLockWhoseHolderIsGoneFromThisHostIsBrokenWithAnAuditRow() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.workload(files: 3))
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        let dead = try Self.deadPID()
        try Self.plantLock(in: dir, id: "dead-lock-1", pid: dead, host: LocalHostName.name)

        let apply = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stderr.contains("Broke the stale state lock dead-lock-1"), "\(apply.stderr)")
        let audit = try TendBinary.run(["audit"], in: dir.url)
        let row = audit.stdout.split(separator: "\n").first { $0.contains("break-stale-lock") } ?? ""
        for part in ["dead-lock-1", "ci@builder", "pid \(dead)", "since 2023-11-14"] {
            #expect(row.contains(part), "\(part) in \(audit.stdout)")
        }
        #expect(audit.status == 0, "the audit chain stays intact")
        #expect(try TendBinary.run(["history"], in: dir.url).stdout.contains("apply  abandoned"))
    }

    @Test func aReusedPIDDoesNotKeepALock() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.workload(files: 3))
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        let bootID = try String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // A live process holds the pid now, but the lock was taken by one that started at another time.
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["600"]
        try sleeper.run()
        // SIGKILL: a test runner may start its children with SIGTERM blocked.
        defer { kill(sleeper.processIdentifier, SIGKILL); sleeper.waitUntilExit() }
        try Self.plantLock(in: dir, id: "reused-1", pid: sleeper.processIdentifier, host: LocalHostName.name,
                           process: "\(bootID)/1")

        let apply = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stderr.contains("Broke the stale state lock reused-1"), "\(apply.stderr)")
    }

    @Test(arguments: ["soon", "-1s", "5x", "1e3", ""])
    func aBadLockTimeoutIsRefused(value: String) throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.workload(files: 1))
        let run = try TendBinary.run(["apply", "--auto-approve", "--lock-timeout", value], in: dir.url)
        #expect(run.status == 1)
        #expect(run.stderr.contains("lock-timeout"), "\(run.stderr)")
        #expect(!dir.exists("out"))
    }
}
