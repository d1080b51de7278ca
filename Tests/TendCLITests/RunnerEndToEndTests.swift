import Foundation
import TendState
import TendStateTesting
import Testing

/// Issue 13, parts 3 and 4: stacks registered in a shared PostgreSQL schema, checked by three `tend runner`
/// processes for three intervals, every stack exactly once per interval; then one runner killed with SIGKILL while it
/// holds a stack, and that stack finished by another runner once the claim's lease ran out.
@Suite(.serialized) struct RunnerEndToEndTests {
    static let stacks = 100
    static let interval = 10.0
    static let lease = 3.0

    static func manifest(_ index: Int) -> String {
        """
        resources:
          a:
            type: local_file
            properties: { path: a.txt, content: "stack \(index)\\n" }
          b:
            type: local_file
            properties: { path: b.txt, content: "b\\n" }
        """
    }

    static func runner(_ name: String, url: String, in dir: TemporaryDirectory) throws -> RunningProcess {
        try RunningProcess(executable: TendBinary.path,
                           arguments: ["runner", "--state", url, "--name", name, "--concurrency", "2", "--lease", "\(Int(lease))s",
                                       "--poll", "200ms", "--listen", "127.0.0.1:0", "--no-color"],
                           in: dir.url)
    }

    @Test func runnersShareTheChecksAndTakeOverFromOneThatDied() throws {
        let server = try PostgresServer.shared()
        let url = server.url(schema: PostgresServer.uniqueSchema("runner"))
        let dir = try TemporaryDirectory()
        var directories: [String] = []
        for index in 0..<Self.stacks {
            let name = String(format: "stack%03d", index)
            try dir.write("\(name)/main.yaml", Self.manifest(index))
            directories.append(dir.url.appendingPathComponent(name).path)
        }
        let refused = try TendBinary.run(["stack", "register", directories[0]], in: dir.url, environment: ["TEND_STATE": ""])
        #expect(refused.status == 1 && refused.stderr.contains("through a PostgreSQL state"), "\(refused.stderr)")
        let register = try TendBinary.run(["stack", "register", "--interval", "\(Int(Self.interval))s", "--state", url] + directories,
                                          in: dir.url)
        #expect(register.status == 0, "\(register.stderr)")
        #expect(register.stdout.contains("Registered stack007 ("), "\(register.stdout)")

        let registry = try PostgresStackRegistry(url: url)
        let registered = try registry.stacks()
        #expect(registered.count == Self.stacks)
        let firstDue = try #require(registered.map(\.nextDue).min())

        let runners = try ["alpha", "beta", "gamma"].map { try Self.runner($0, url: url, in: dir) }
        defer { for runner in runners { runner.stop() } }
        for runner in runners { try runner.waitForLine(timeout: 30) { $0.hasPrefix("listening on 127.0.0.1:") } }

        // Two intervals pass; early in the third, alpha is killed while it holds a stack.
        var killedAt: Double?
        var killedStack: String?
        let deadline = Date().addingTimeInterval(3 * Self.interval + 20)
        while killedAt == nil && Date() < deadline {
            let now = Date().timeIntervalSince1970
            if now >= firstDue + 2 * Self.interval,
               let held = try registry.stacks().first(where: { $0.claimedBy == "alpha" }) {
                kill(runners[0].process.processIdentifier, SIGKILL)
                killedAt = Date().timeIntervalSince1970
                killedStack = held.name
            } else {
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
        let killTime = try #require(killedAt, "alpha never held a stack in the third interval")
        let killed = try #require(killedStack)

        // Every stack gets its third check, the killed one from another runner once alpha's claim expired.
        let finishBy = Date().addingTimeInterval(Self.lease + Self.interval + 10)
        func completed() throws -> [PostgresStackRegistry.Check] {
            try registry.checks().filter { $0.finished != nil && $0.outcome == "succeeded" }
        }
        while Date() < finishBy, try Set(completed().filter { $0.due >= firstDue + 2 * Self.interval - 1 }.map(\.stack)).count < Self.stacks {
            Thread.sleep(forTimeInterval: 0.2)
        }
        for runner in runners.dropFirst() {
            #expect(runner.send(signal: SIGTERM, timeout: 30) == 0, "\(runner.stderr.suffix(5))")
            #expect(runner.stdout.contains { $0.hasPrefix("Stopped after ") }, "\(runner.stdout.suffix(3))")
        }

        let checks = try registry.checks()
        let done = checks.filter { $0.finished != nil && $0.outcome == "succeeded" }
        let byStack = Dictionary(grouping: done, by: \.stack)
        #expect(byStack.count == Self.stacks)
        for (stack, list) in byStack.sorted(by: { $0.key < $1.key }) {
            // Windows are counted from each stack's first due time; three of them passed.
            let dues = list.map(\.due).sorted()
            #expect(dues.count == 3, "\(stack): \(dues.count) checks in three intervals")
            #expect(Set(dues.map { (($0 - dues[0]) / Self.interval).rounded() }) == [0, 1, 2], "\(stack): one per interval: \(dues)")
            for check in list {
                #expect(check.started >= check.due && check.started < check.due + Self.interval,
                        "\(stack): checked within its interval (due \(check.due), started \(check.started))")
            }
        }
        // The check alpha was killed in never finished; another runner finished that interval within the lease.
        let cut = checks.filter { $0.stack == killed && $0.runner == "alpha" && $0.finished == nil }
        #expect(cut.count == 1, "\(cut)")
        let takeover = try #require(done.first { $0.stack == killed && $0.due == cut.first?.due })
        #expect(takeover.runner != "alpha")
        let finished = try #require(takeover.finished)
        #expect(finished <= killTime + Self.lease + 6, "finished \(finished - killTime) s after the kill")
        let shares = Dictionary(grouping: done, by: \.runner).mapValues(\.count)
        #expect(Set(shares.keys) == ["alpha", "beta", "gamma"], "every runner did its share: \(shares)")

        let list = try TendBinary.run(["stack", "list", "--state", url], in: dir.url)
        #expect(list.status == 0 && list.stdout.contains("stack000\t"), "\(list.stdout)")
        let log = try TendBinary.run(["stack", "checks", "--state", url], in: dir.url)
        #expect(log.stdout.contains("beta: ") && log.stdout.contains("gamma: "), "\(log.stdout.suffix(300))")
        // Each check recorded a drift run in the stack's own state.
        let history = try TendBinary.run(["history", "--state", PostgresLocation.url(url, stack: "stack003")], in: dir.url)
        #expect(history.stdout.components(separatedBy: " drift ").count - 1 >= 3, "\(history.stdout)")
    }
}
