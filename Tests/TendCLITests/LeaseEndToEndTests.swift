import Foundation
import Testing

/// The state lock as a lease, through the built binary on the default SQLite state: a holder stopped past its lease
/// loses the lock and, resumed, is fenced off; `TEND_LOCK_LEASE` sets the lease and a bad value is refused.
@Suite struct LeaseEndToEndTests {
    /// What a state holds, through the binary: its audit log, runs, serial and resources. A holder fenced off must
    /// leave it unchanged.
    static func snapshot(in dir: TemporaryDirectory, state: [String], environment: [String: String]) throws -> String {
        try [["audit"], ["history", "--limit", "0"], ["state", "info"], ["state", "list"]].map { command in
            let result = try TendBinary.run(command + state, in: dir.url, environment: environment)
            return "\(command): \(result.status) \(result.stdout) \(result.stderr)"
        }.joined(separator: "\n")
    }

    /// A `tend apply` of a slow workload is stopped (SIGSTOP) once it is applying, past its lease; a second apply
    /// takes the lock and finishes; the first is resumed (SIGCONT) and must stop at its next state write, fenced off,
    /// with exit 1 and nothing more written; the second apply's state stands.
    ///
    /// `isMidWrite`, when given, says whether the stopped holder is inside a state write (holding the database's write
    /// lock), which would keep the second apply waiting: then it is resumed for a moment and stopped again.
    static func expectAHolderStoppedPastItsLeaseIsFenced(state: [String], environment: [String: String] = [:],
                                                         pause: Double, isMidWrite: ((TemporaryDirectory) throws -> Bool)? = nil) throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", LockAndSignalEndToEndTests.workload(files: 400))
        let first = try RunningProcess(executable: TendBinary.path,
                                       arguments: ["apply", "--auto-approve", "--parallelism", "1"] + state, in: dir.url,
                                       environment: environment)
        defer { first.stop() }
        try first.waitForLine(timeout: LockAndSignalEndToEndTests.deadline) { $0.hasPrefix("+ site[") && $0.contains("created in") }
        let pid = first.process.processIdentifier
        kill(pid, SIGSTOP)
        while try isMidWrite?(dir) == true {
            kill(pid, SIGCONT)
            Thread.sleep(forTimeInterval: 0.005)
            kill(pid, SIGSTOP)
        }
        Thread.sleep(forTimeInterval: pause)

        let second = try TendBinary.run(["apply", "--auto-approve"] + state, in: dir.url, environment: environment)
        #expect(second.status == 0, "the lease ran out, so the lock is free: \(second.stderr)")
        let before = try snapshot(in: dir, state: state, environment: environment)
        kill(pid, SIGCONT)
        let start = Date()
        while first.process.isRunning && Date().timeIntervalSince(start) < LockAndSignalEndToEndTests.deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(!first.process.isRunning && first.process.terminationStatus == 1, "\(first.stderr)")
        #expect(first.stderr.contains { $0.contains("is no longer this process's (fencing token") }, "\(first.stderr)")
        #expect(try snapshot(in: dir, state: state, environment: environment) == before, "the fenced apply wrote nothing more")

        let plan = try TendBinary.run(["plan", "--detailed-exitcode"] + state, in: dir.url, environment: environment)
        #expect(plan.status == 0, "the second apply's state stands: \(plan.stdout.suffix(2000)) \(plan.stderr)")
        #expect(before.contains("hash chain verified"), "\(before.prefix(2000))")
    }

    /// Whether a process holds the SQLite state's write lock: `BEGIN IMMEDIATE` cannot be had at once.
    static func stateIsBeingWritten(in dir: TemporaryDirectory) throws -> Bool {
        let probe = try TendBinary.python(["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
            try:
                db.execute("BEGIN IMMEDIATE")
                db.execute("ROLLBACK")
            except sqlite3.OperationalError:
                sys.exit(3)
            """, dir.url.appendingPathComponent(".tend/state.db").path])
        #expect(probe.status == 0 || probe.status == 3, "\(probe.stderr)")
        return probe.status == 3
    }

    @Test func aHolderStoppedPastItsLeaseCannotWriteAfterItResumes() throws {
        try Self.expectAHolderStoppedPastItsLeaseIsFenced(state: [], environment: ["TEND_LOCK_LEASE": "2s"], pause: 3.5,
                                                          isMidWrite: Self.stateIsBeingWritten)
    }

    @Test(arguments: ["soon", "0", "-1s", "2d", "1e3"])
    func aBadLockLeaseIsRefused(value: String) throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", LockAndSignalEndToEndTests.workload(files: 1))
        let run = try TendBinary.run(["apply", "--auto-approve"], in: dir.url, environment: ["TEND_LOCK_LEASE": value])
        #expect(run.status == 1)
        #expect(run.stderr.contains("TEND_LOCK_LEASE") && run.stderr.contains(value), "\(run.stderr)")
        #expect(!dir.exists("out"))
        #expect(!dir.exists(".tend/state.db"))
    }
}
