import Foundation
import Synchronization
@testable import TendState
import TendModel
import TendStateTesting
import Testing

/// What the PostgreSQL store does beyond the behaviour every store shares: many stacks in one schema, the lease with
/// its fencing token, reconnecting, migrations, and credentials kept out of every message.
@Suite struct PostgresStateStoreTests {
    private let web = ResourceAddress(name: "web")

    /// A connection for looking behind the store's back.
    private static func admin(schema: String) throws -> PostgresConnection {
        let connection = try PostgresConnection(location: PostgresLocation(parsing: try PostgresServer.shared().url()))
        try connection.execute("SELECT set_config('search_path', $1, false)", [.text("\"\(schema)\"")])
        return connection
    }

    @Test func aSecondStoreOnTheStackIsRefusedTheLockNamingTheHolder() throws {
        let schema = PostgresServer.uniqueSchema()
        let first = PostgresStores.make(schema: schema, stack: "shared")
        let second = PostgresStores.make(schema: schema, stack: "shared")
        let held = StateSample.lock(id: "first")
        try first.lock(held)

        let error = #expect(throws: StateError.self) { try second.lock(StateSample.lock(id: "second")) }
        #expect(error?.code == .locked)
        #expect(error?.message.contains("lock ID first") == true, "\(error?.message ?? "")")
        #expect(try second.currentLock() == held)

        try first.unlock(id: "first")
        try second.lock(StateSample.lock(id: "second"))
        #expect(try first.currentLock()?.id == "second")
        #expect(second.fencingToken == 2)
    }

    /// The release runs on a thread of its own and the wait polls without suspending, so a test pool kept busy by
    /// other suites cannot hold either back.
    @Test func aWaitingStoreGetsTheLockOnceItIsReleased() throws {
        let schema = PostgresServer.uniqueSchema()
        let first = PostgresStores.make(schema: schema, stack: "shared")
        let second = PostgresStores.make(schema: schema, stack: "shared")
        try first.lock(StateSample.lock(id: "first"))
        let released = Mutex<Bool>(false)
        Thread {
            Thread.sleep(forTimeInterval: 0.4)
            // A failed release shows below: the waiting store never gets the lock.
            try? first.unlock(id: "first")
            released.withLock { $0 = true }
        }.start()
        var refusals = 0
        let deadline = Date().addingTimeInterval(120)
        var taken = false
        while !taken, Date() < deadline {
            do {
                try second.lock(StateSample.lock(id: "second"))
                taken = true
            } catch let error as StateError where error.code == .locked {
                refusals += 1
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        #expect(taken)
        #expect(refusals > 0, "it waited while the first store held the lock")
        #expect(released.withLock { $0 })
        #expect(try second.currentLock()?.id == "second")
    }

    @Test func anExpiredLeaseIsTakenOverAndTheOldHolderCannotWrite() async throws {
        let schema = PostgresServer.uniqueSchema()
        let paused = PostgresStores.make(schema: schema, stack: "shared", leaseDuration: 4, renewsLease: false)
        let next = PostgresStores.make(schema: schema, stack: "shared")
        try paused.lock(StateSample.lock(id: "paused"))
        try paused.put(StateSample.record(web), history: nil)
        let oldToken = try #require(paused.fencingToken)

        // Within the lease, nobody else gets it.
        #expect(throws: StateError.self) { try next.lock(StateSample.lock(id: "next")) }
        try await Task.sleep(nanoseconds: 4_300_000_000)
        try next.lock(StateSample.lock(id: "next"))
        #expect(next.fencingToken == oldToken + 1)

        let error = #expect(throws: StateError.self) { try paused.put(StateSample.record(ResourceAddress(name: "late")), history: nil) }
        #expect(error?.code == .fenced)
        #expect(error?.message.contains("fencing token \(oldToken)") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("lock ID next") == true, "\(error?.message ?? "")")
        let audit = #expect(throws: StateError.self) {
            try paused.appendAudit(who: "x", action: "apply", target: "web", result: "ok", at: StateSample.date)
        }
        #expect(audit?.code == .fenced)
        #expect(try next.resources().map(\.address) == [web], "the fenced write left nothing")
        #expect(try next.auditLog().isEmpty)

        try next.put(StateSample.record(ResourceAddress(name: "mine")), history: nil)
        try paused.unlock(id: "paused")
        #expect(try next.currentLock()?.id == "next", "the old holder's unlock leaves the new lease alone")
    }

    @Test func aRenewedLeaseOutlivesItsDuration() async throws {
        let schema = PostgresServer.uniqueSchema()
        let holder = PostgresStores.make(schema: schema, stack: "shared", leaseDuration: 3)
        let other = PostgresStores.make(schema: schema, stack: "shared")
        try holder.lock(StateSample.lock(id: "holder"))
        // Renewed every second; a busy machine may delay one renewal, not two whole seconds.
        try await Task.sleep(nanoseconds: 7_000_000_000)
        let error = #expect(throws: StateError.self) { try other.lock(StateSample.lock(id: "other")) }
        #expect(error?.code == .locked)
        try holder.put(StateSample.record(web), history: nil)
        try holder.unlock(id: "holder")
    }

    @Test func stacksInOneSchemaDoNotSeeEachOther() throws {
        let schema = PostgresServer.uniqueSchema()
        let alpha = PostgresStores.make(schema: schema, stack: "alpha")
        let beta = PostgresStores.make(schema: schema, stack: "beta")
        let version = try alpha.initialize()
        try alpha.put(StateSample.record(web), history: StateSample.history(web, serial: 1))
        try alpha.appendAudit(who: "a", action: "apply", target: "web", result: "ok", at: StateSample.date)
        let run = try alpha.beginRun(kind: "drift", at: StateSample.date, actor: StateSample.actor)
        _ = try alpha.recordDrift(runID: run, findings: [ObservedFinding(address: "web", type: "local_file", kind: .missing)],
                                  scope: ["web"], at: StateSample.date)
        try alpha.lock(StateSample.lock(id: "alpha-lock"))

        #expect(try beta.version() == nil)
        #expect(try beta.resources().isEmpty)
        #expect(try beta.history(address: nil, limit: 0).isEmpty)
        #expect(try beta.auditLog().isEmpty)
        #expect(try beta.runs(limit: 0).isEmpty)
        #expect(try beta.driftFindings(address: nil, since: nil).isEmpty)
        #expect(try beta.currentLock() == nil)
        try beta.lock(StateSample.lock(id: "beta-lock"))
        try beta.appendAudit(who: "b", action: "apply", target: "web", result: "ok", at: StateSample.date)
        #expect(try beta.auditLog().map(\.sequence) == [1])
        #expect(try alpha.version() == version)
        #expect(try alpha.resources().map(\.address) == [web])
        #expect(try alpha.verifyAuditChain() == nil && beta.verifyAuditChain() == nil)
    }

    @Test func reconnectsWhenTheConnectionIsCut() throws {
        let schema = PostgresServer.uniqueSchema()
        let name = "tend-cut-\(UUID().uuidString.prefix(8).lowercased())"
        let url = try PostgresServer.shared().url(schema: schema, stack: "s", extra: ["application_name": name])
        let store = PostgresStateStore(url: url, defaultStack: "unused")
        try store.put(StateSample.record(web), history: nil)
        let admin = try Self.admin(schema: schema)
        let cut = try admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
                                    [.text(name)])
        #expect(cut.count == 1)

        #expect(try store.resources().map(\.address) == [web])
        try store.put(StateSample.record(ResourceAddress(name: "after")), history: nil)
        #expect(try store.resources().count == 2)
    }

    /// On a server of its own: restarting the shared one would cut every other test's connections.
    @Test func survivesAServerRestart() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let store = PostgresStateStore(url: server.url(stack: "s"), defaultStack: "unused")
        try store.lock(StateSample.lock(id: "held"))
        try store.put(StateSample.record(web), history: nil)
        try server.restart()

        #expect(try store.resources().map(\.address) == [web], "a read is retried on a new connection")
        try store.put(StateSample.record(ResourceAddress(name: "after")), history: nil, audit:
            AuditDraft(who: "a", action: "apply", target: "after", result: "ok", at: StateSample.date))
        #expect(try store.resources().count == 2, "a whole transaction is retried, the fencing token still holds")
        #expect(try store.verifyAuditChain() == nil)
        try store.unlock(id: "held")
    }

    @Test func migrationsAreRecordedAndANewerSchemaIsRefused() throws {
        let schema = PostgresServer.uniqueSchema()
        _ = try PostgresStores.make(schema: schema).initialize()
        _ = try PostgresStores.make(schema: schema, stack: "other").initialize()
        let admin = try Self.admin(schema: schema)
        let versions = try admin.execute("SELECT version FROM schema_migrations ORDER BY version").map { $0.int64(0) }
        #expect(versions == PostgresMigration.all.map { Int64($0.version) })

        try admin.execute("INSERT INTO schema_migrations (version) VALUES (999)")
        let error = #expect(throws: StateError.self) { try PostgresStores.make(schema: schema).version() }
        #expect(error?.code == .newerSchema)
    }

    @Test func theAuditLogIsAppendOnly() throws {
        let schema = PostgresServer.uniqueSchema()
        let store = PostgresStores.make(schema: schema)
        try store.appendAudit(who: "a", action: "apply", target: "web", result: "ok", at: StateSample.date)
        let admin = try Self.admin(schema: schema)
        #expect(throws: StateError.self) { try admin.execute("UPDATE audit_log SET who = 'mallory'") }
        #expect(throws: StateError.self) { try admin.execute("DELETE FROM audit_log") }
        #expect(try store.auditLog().map(\.who) == ["a"])
    }

    @Test func credentialsNeverAppearInMessages() throws {
        let server = try PostgresServer.shared()
        let secret = "pw-\(UUID().uuidString.prefix(12))"
        let endpoint = "\(server.host):\(server.port)"

        // A wrong password, at a live server.
        let wrong = PostgresStateStore(url: "postgres://\(server.user):\(secret)@\(endpoint)/postgres?stack=s", defaultStack: "x")
        let refused = #expect(throws: StateError.self) { try wrong.version() }
        #expect(refused?.code == .unreachable)
        #expect(refused?.message.contains(endpoint) == true, "\(refused?.message ?? "")")

        // Nothing listening.
        let closed = try PostgresServer.freePort()
        let absent = PostgresStateStore(url: "postgres://u:\(secret)@127.0.0.1:\(closed)/db", defaultStack: "x")
        let unreachable = #expect(throws: StateError.self) { try absent.put(StateSample.record(web), history: nil) }
        #expect(unreachable?.code == .unreachable)
        #expect(unreachable?.message.contains("127.0.0.1:\(closed)") == true, "\(unreachable?.message ?? "")")

        // A URL that does not parse, and one with the password as a parameter.
        let invalid = PostgresStateStore(url: "postgres://u:\(secret)@host:99999/db", defaultStack: "x")
        let bad = #expect(throws: StateError.self) { try invalid.version() }
        #expect(bad?.code == .invalidLocation)
        let parameter = PostgresStateStore(url: "postgres://u@127.0.0.1:\(closed)/db?password=\(secret)", defaultStack: "x")
        let viaParameter = #expect(throws: StateError.self) { try parameter.version() }

        for error in [refused, unreachable, bad, viaParameter] {
            let text = "\(String(describing: error)) \(error?.message ?? "") \(error.map { String(reflecting: $0) } ?? "")"
            #expect(!text.contains(secret), "a message shows the password: \(text)")
        }
        #expect(!wrong.location.contains(secret) && !absent.location.contains(secret) && !parameter.location.contains(secret))
        #expect(try !PostgresLocation(parsing: "postgres://u:\(secret)@h/db").description.contains(secret))
    }

    @Test(arguments: [
        ("postgres://alice@db.example:6543/tend?stack=web", "db.example:6543", "web"),
        ("postgresql://db.example/tend", "db.example:5432", nil),
        ("postgres://alice:s%40cret@db.example/tend?stack=a%20b&sslmode=require", "db.example:5432", "a b"),
    ] as [(String, String, String?)])
    func parsesURLs(url: String, endpoint: String, stack: String?) throws {
        let location = try PostgresLocation(parsing: url)
        #expect(location.endpoint == endpoint)
        #expect(location.stack == stack)
        #expect(!location.redacted.contains("cret"))
    }
}
