import Foundation
import TendStateTesting
import Testing

/// The built binary with its state on PostgreSQL: `--state postgres://…` or `TEND_STATE` picks it, apply and plan
/// work as with SQLite, and a wrong password, a bad URL or an unreachable server exit 1 naming the host and port,
/// never the password.
@Suite struct PostgresEndToEndTests {
    static let manifest = """
    resources:
      a:
        type: local_file
        properties: { path: a.txt, content: "a\\n" }
      b:
        type: local_file
        properties: { path: b.txt, content: "b\\n" }
    """

    @Test func appliesThenPlansNothingWithTheStateOnPostgres() throws {
        let server = try PostgresServer.shared()
        let url = server.url(schema: PostgresServer.uniqueSchema("cli"), stack: "web")
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)

        let apply = try TendBinary.run(["apply", "--auto-approve", "--state", url], in: dir.url)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(dir.exists("a.txt") && dir.exists("b.txt"))
        #expect(!dir.exists(".tend/state.db"), "the state went to PostgreSQL, not to a file")

        let plan = try TendBinary.run(["plan", "--detailed-exitcode", "--state", url], in: dir.url)
        #expect(plan.status == 0, "nothing to do: \(plan.stdout) \(plan.stderr)")
        let list = try TendBinary.run(["state", "list", "--state", url], in: dir.url)
        #expect(list.stdout.split(separator: "\n").map { $0.split(separator: "\t").first.map(String.init) ?? "" } == ["a", "b"])
        let audit = try TendBinary.run(["audit", "--state", url], in: dir.url)
        #expect(audit.status == 0, "\(audit.stderr)")

        // Another directory on another stack of the same schema starts empty.
        let other = try TendBinary.run(["state", "list", "--state", url.replacingOccurrences(of: "stack=web", with: "stack=api")],
                                       in: dir.url)
        #expect(other.status == 0 && other.stdout.isEmpty, "\(other.stdout)")
        for result in [apply, plan, list, audit, other] {
            #expect(!(result.stdout + result.stderr).contains(server.password))
        }
    }

    @Test func theEnvironmentPicksPostgresAndSuppliesThePassword() throws {
        let server = try PostgresServer.shared()
        let url = server.url(schema: PostgresServer.uniqueSchema("cli"), stack: "env", includePassword: false)
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let environment = ["TEND_STATE": url, "PGPASSWORD": server.password]

        let apply = try TendBinary.run(["apply", "--auto-approve"], in: dir.url, environment: environment)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(!dir.exists(".tend/state.db"))
        let plan = try TendBinary.run(["plan", "--detailed-exitcode"], in: dir.url, environment: environment)
        #expect(plan.status == 0, "\(plan.stdout) \(plan.stderr)")
        let info = try TendBinary.run(["state", "info"], in: dir.url, environment: environment)
        #expect(info.stdout.contains("serial: 1"), "\(info.stdout) \(info.stderr)")
        #expect(!(apply.stdout + apply.stderr + plan.stdout + plan.stderr + info.stdout).contains(server.password))
    }

    @Test func aWrongPasswordABadURLOrNoServerExitsOneWithoutThePassword() throws {
        let server = try PostgresServer.shared()
        let secret = "pw-\(UUID().uuidString.prefix(12))"
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let closed = try PostgresServer.freePort()
        let cases: [(arguments: [String], environment: [String: String], names: String)] = [
            (["plan", "--state", server.url(includePassword: false) + "?stack=x"], ["PGPASSWORD": secret],
             "\(server.host):\(server.port)"),
            (["apply", "--auto-approve", "--state", "postgres://\(server.user):\(secret)@\(server.host):\(server.port)/postgres"],
             [:], "\(server.host):\(server.port)"),
            (["state", "list", "--state", "postgres://u:\(secret)@127.0.0.1:\(closed)/db"], [:], "127.0.0.1:\(closed)"),
            (["plan", "--state", "postgres://u:\(secret)@127.0.0.1:99999/db"], [:], "99999"),
        ]
        for item in cases {
            let result = try TendBinary.run(item.arguments, in: dir.url, environment: item.environment)
            #expect(result.status == 1, "\(item.arguments): \(result.stdout) \(result.stderr)")
            #expect(result.stderr.contains(item.names), "\(item.arguments): \(result.stderr)")
            #expect(!(result.stdout + result.stderr).contains(secret), "the password shows: \(result.stderr)")
        }
        #expect(!dir.exists("a.txt"), "nothing was applied")
        #expect(!dir.exists(".tend/state.db"))
    }

    @Test func migratesAStackFromSQLiteToPostgresAndBack() throws {
        let server = try PostgresServer.shared()
        let url = server.url(schema: PostgresServer.uniqueSchema("cli"), stack: "moved")
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)

        let there = try TendBinary.run(["state", "migrate", "--to", url], in: dir.url)
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout.contains("2 resources") && there.stdout.contains("audit chain verified"), "\(there.stdout)")
        #expect(!(there.stdout + there.stderr).contains(server.password))
        let plan = try TendBinary.run(["plan", "--detailed-exitcode", "--state", url], in: dir.url)
        #expect(plan.status == 0, "nothing to do on the copy: \(plan.stdout) \(plan.stderr)")
        let again = try TendBinary.run(["state", "migrate", "--to", url], in: dir.url)
        #expect(again.status == 1 && again.stderr.contains("already holds a state"), "\(again.stderr)")

        let back = try TendBinary.run(["state", "migrate", "--state", url, "--to", "copy.db"], in: dir.url)
        #expect(back.status == 0, "\(back.stderr)")
        let planBack = try TendBinary.run(["plan", "--detailed-exitcode", "--state", "copy.db"], in: dir.url)
        #expect(planBack.status == 0, "\(planBack.stdout) \(planBack.stderr)")
        let audit = try TendBinary.run(["audit", "--state", "copy.db"], in: dir.url)
        #expect(audit.status == 0 && audit.stdout.contains("create  a  ok"), "\(audit.stdout) \(audit.stderr)")
        #expect(audit.stdout.contains("hash chain verified"), "\(audit.stdout)")
    }

    /// A holder stopped (SIGSTOP) past its lease loses the lock to the next apply; resumed, its next state write is
    /// refused by the fencing token, so it stops without writing, and the state is the second apply's.
    @Test func aHolderStoppedPastItsLeaseCannotWriteAfterItResumes() throws {
        let server = try PostgresServer.shared()
        let url = server.url(schema: PostgresServer.uniqueSchema("cli"), stack: "paused", extra: ["lease": "2"])
        try LeaseEndToEndTests.expectAHolderStoppedPastItsLeaseIsFenced(state: ["--state", url], pause: 3.5)
    }

    /// The plan key lives with a PostgreSQL state: a plan saved here is applied from a copy of the configuration with
    /// nothing local beside it, as on another machine sharing the state.
    @Test func aSavedPlanIsSealedWithAKeyKeptWithTheState() throws {
        let server = try PostgresServer.shared()
        let url = server.url(schema: PostgresServer.uniqueSchema("cli"), stack: "planned")
        let here = try TemporaryDirectory()
        try here.write("main.yaml", Self.manifest)
        let plan = try TendBinary.run(["plan", "-out", "saved.plan", "--state", url], in: here.url)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(!here.exists(".tend"), "no key file on this machine")

        let elsewhere = try TemporaryDirectory()
        try elsewhere.write("main.yaml", Self.manifest)
        let saved = here.url.appendingPathComponent("saved.plan").path
        let apply = try TendBinary.run(["apply", saved, "--state", url], in: elsewhere.url)
        #expect(apply.status == 0, "\(apply.stdout) \(apply.stderr)")
        let again = try TendBinary.run(["plan", "--detailed-exitcode", "--state", url], in: here.url)
        #expect(again.status == 0, "\(again.stdout) \(again.stderr)")

        let other = server.url(schema: PostgresServer.uniqueSchema("cli"), stack: "planned")
        let refused = try TendBinary.run(["apply", saved, "--state", other], in: elsewhere.url)
        #expect(refused.status == 1 && refused.stderr.contains("no plan key"), "\(refused.stderr)")
    }
}
