import Foundation
import TendState
import TendStateTesting
import Testing

/// Issue 15, part 4: state encryption at rest through the built binary on local resources (docs/state-encryption.md).
/// Every test first shows that the canary does lie in the state file in clear without a key, so that its absence
/// with a key means something.
@Suite(.serialized) struct StateEncryptionEndToEndTests {
    static let canary = "tend-canary-at-rest-4b7e1f"
    static let visible = "plain-marker-0c55d2"
    static let keyA = Data((0..<32).map { UInt8($0) }).base64EncodedString()
    static let keyB = Data((0..<32).map { UInt8(255 - $0) }).base64EncodedString()
    static let noKey = ["TEND_STATE_KEY": "", "TEND_STATE_KEY_FILE": "", "TEND_STATE_ENCRYPT": ""]

    static let manifest = """
        resources:
          secret:
            type: local_file
            properties: { path: secret.txt, sensitive_content: "\(canary)" }
          note:
            type: local_file
            properties: { path: note.txt, content: "\(visible)" }
        """

    static func with(_ key: String, _ extra: [String: String] = [:]) -> [String: String] {
        noKey.merging(["TEND_STATE_KEY": key]) { $1 }.merging(extra) { $1 }
    }

    /// Runs tend and checks its exit status and that it printed neither the canary nor a key.
    @discardableResult
    static func run(_ arguments: [String], in dir: TemporaryDirectory, environment: [String: String], status: Int32 = 0,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> TendBinary.Result {
        let result = try TendBinary.run(arguments, in: dir.url, environment: environment)
        let command = "tend \(arguments.joined(separator: " "))"
        #expect(result.status == status, "\(command): \(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        for secret in [canary, keyA, keyB] {
            #expect(!(result.stdout + result.stderr).contains(secret), "\(command) printed a secret",
                    sourceLocation: sourceLocation)
        }
        return result
    }

    /// The bytes of the state file and its write-ahead log, as a thief would copy them.
    static func stateBytes(_ dir: TemporaryDirectory, _ name: String = ".tend/state.db") -> Data {
        var bytes = Data()
        for suffix in ["", "-wal"] {
            // A missing log is no bytes: SQLite folds it into the file when the last connection closes.
            if let data = try? Data(contentsOf: dir.url.appendingPathComponent(name + suffix)) { bytes.append(data) }
        }
        return bytes
    }

    static func holds(_ text: String, _ bytes: Data) -> Bool {
        bytes.range(of: Data(text.utf8)) != nil
    }

    /// The bytes of every file in `.tend`, by name, compared whole (a stronger check than a hash of them): the state
    /// file, its write-ahead log (frames a write would have added; an empty log a reader left is no write) and any
    /// other file. SQLite's shared-memory index (`-shm`) is left out: every reader of a WAL database writes to it.
    static func fingerprint(_ dir: TemporaryDirectory) throws -> [String: Data] {
        let folder = dir.url.appendingPathComponent(".tend")
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasSuffix("-shm") {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            if name.hasSuffix("-wal"), data.isEmpty { continue }
            out[name] = data
        }
        return out
    }

    /// What differs between two fingerprints, for the failure message: names and sizes.
    static func describe(_ fingerprint: [String: Data]) -> String {
        fingerprint.keys.sorted().map { "\($0) (\(fingerprint[$0]?.count ?? 0) bytes)" }.joined(separator: ", ")
    }

    static func writeKeyFile(_ dir: TemporaryDirectory, _ name: String, _ key: String) throws -> String {
        try dir.write(name, key + "\n")
        let path = dir.url.appendingPathComponent(name).path
        chmod(path, 0o600)
        return path
    }

    @Test func theCanaryLiesInAStateWrittenInClearAndNotInOneWrittenWithAKey() throws {
        let clear = try TemporaryDirectory()
        try clear.write("main.yaml", Self.manifest)
        try Self.run(["apply", "--auto-approve"], in: clear, environment: Self.noKey)
        #expect(Self.holds(Self.canary, Self.stateBytes(clear)), "without a key the secret is in the file in clear")

        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        try Self.run(["apply", "--auto-approve"], in: dir, environment: Self.with(Self.keyA))
        #expect(try dir.read("secret.txt") == Self.canary)
        let bytes = Self.stateBytes(dir)
        #expect(!bytes.isEmpty)
        #expect(!Self.holds(Self.canary, bytes), "with a key the secret is not in the state file's bytes")
        #expect(Self.holds(Self.visible, bytes), "non-sensitive values stay in clear in mode sensitive")

        // The round trip: the key opens the state, so the secret compares equal and nothing is to be done.
        try Self.run(["plan", "--detailed-exitcode"], in: dir, environment: Self.with(Self.keyA))
        let shown = try Self.run(["state", "show", "secret"], in: dir, environment: Self.with(Self.keyA))
        #expect(shown.stdout.contains("sensitive_content = (sensitive)"), "\(shown.stdout)")
        let info = try Self.run(["state", "info"], in: dir, environment: Self.with(Self.keyA))
        #expect(info.stdout.contains("encryption: sensitive values, state key"), "\(info.stdout)")
        let keyFile = try Self.writeKeyFile(dir, "state.key", Self.keyA)
        try Self.run(["plan", "--detailed-exitcode", "--state-key-file", keyFile], in: dir, environment: Self.noKey)
        try Self.run(["plan", "--detailed-exitcode"], in: dir, environment: Self.noKey.merging(["TEND_STATE_KEY_FILE": keyFile]) { $1 })
        let audit = try Self.run(["audit"], in: dir, environment: Self.with(Self.keyA))
        #expect(!audit.stdout.isEmpty)

        // A secret changed outside tend is a drift finding, recorded without the value.
        let outside = "tend-canary-changed-outside-77c1"
        try dir.write("secret.txt", outside)
        let drift = try Self.run(["drift", "--detailed-exitcode"], in: dir, environment: Self.with(Self.keyA), status: 2)
        #expect(!drift.stdout.contains(outside), "\(drift.stdout)")
        let findings = Self.stateBytes(dir)
        #expect(!Self.holds(outside, findings), "drift findings hold no secret")
        #expect(!Self.holds(Self.canary, findings))
    }

    /// A command that wrote leaves the state whole in its file: no write-ahead log with content beside it, which the
    /// next opener (even a refused one) would fold in. Before, an apply left one about one time in five, as the
    /// process exited with the database still open; five applies catch that most of the time.
    @Test func everyApplyLeavesTheStateWholeInItsFile() throws {
        for round in 0..<5 {
            let dir = try TemporaryDirectory()
            try dir.write("main.yaml", Self.manifest)
            try Self.run(["apply", "--auto-approve"], in: dir, environment: Self.with(Self.keyA))
            let files = try Self.fingerprint(dir)
            #expect(files["state.db-wal"] == nil, "round \(round): \(Self.describe(files))")
            #expect(files["state.db"] != nil)
        }
    }

    @Test func aMissingOrWrongKeyIsRefusedAndTheFileLeftUntouched() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        try Self.run(["apply", "--auto-approve"], in: dir, environment: Self.with(Self.keyA))
        try dir.write("main.yaml", Self.manifest.replacingOccurrences(of: Self.visible, with: "changed"))
        let before = try Self.fingerprint(dir)

        let wrong = try Self.run(["apply", "--auto-approve"], in: dir, environment: Self.with(Self.keyB), status: 1)
        #expect(wrong.stderr.contains("is not the one"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("nothing was read or written"), "\(wrong.stderr)")
        let missing = try Self.run(["apply", "--auto-approve"], in: dir, environment: Self.noKey, status: 1)
        #expect(missing.stderr.contains("no state key was given"), "\(missing.stderr)")
        #expect(missing.stderr.contains("TEND_STATE_KEY"), "the error says where the key goes")
        try Self.run(["plan"], in: dir, environment: Self.noKey, status: 1)
        try Self.run(["state", "list"], in: dir, environment: Self.with(Self.keyB), status: 1)
        try Self.run(["state", "rm", "note"], in: dir, environment: Self.noKey, status: 1)
        try Self.run(["drift"], in: dir, environment: Self.with(Self.keyB), status: 1)
        let invalid = try Self.run(["plan"], in: dir, environment: Self.with("correct horse battery staple"), status: 1)
        #expect(invalid.stderr.contains("not a key"), "\(invalid.stderr)")
        #expect(!invalid.stderr.contains("correct horse"), "the error never repeats the key text")
        let open = try Self.writeKeyFile(dir, "open.key", Self.keyA)
        chmod(open, 0o644)
        let openFile = try Self.run(["plan", "--state-key-file", open], in: dir, environment: Self.noKey, status: 1)
        #expect(openFile.stderr.contains("chmod 600"), "\(openFile.stderr)")

        let after = try Self.fingerprint(dir)
        #expect(after == before, "no byte of the state changed: before \(Self.describe(before)), after \(Self.describe(after))")
        #expect(before["state.db"] != nil && after["state.db"] == before["state.db"], "the state file is byte-identical")
        #expect(try dir.read("note.txt") == Self.visible, "nothing was applied")
    }

    @Test func rekeyRotatesTheKeyAndCanRemoveEncryption() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        try Self.run(["apply", "--auto-approve"], in: dir, environment: Self.with(Self.keyA))
        let newKey = try Self.writeKeyFile(dir, "new.key", Self.keyB)

        let rekey = try Self.run(["state", "rekey", "--new-key-file", newKey], in: dir, environment: Self.with(Self.keyA))
        #expect(rekey.stdout.contains("Re-encrypted 2 resources, 0 deposed objects, 2 history entries"), "\(rekey.stdout)")
        #expect(!Self.holds(Self.canary, Self.stateBytes(dir)))
        try Self.run(["plan"], in: dir, environment: Self.with(Self.keyA), status: 1)
        try Self.run(["plan", "--detailed-exitcode"], in: dir, environment: Self.with(Self.keyB))
        let audit = try Self.run(["audit"], in: dir, environment: Self.with(Self.keyB))
        #expect(audit.stdout.contains("state rekey"), "\(audit.stdout)")

        // The old key cannot rekey it again, and a refused rekey writes nothing.
        let before = try Self.fingerprint(dir)
        try Self.run(["state", "rekey", "--new-key-file", newKey], in: dir, environment: Self.with(Self.keyA), status: 1)
        #expect(try Self.fingerprint(dir) == before)

        let removed = try Self.run(["state", "rekey", "--remove-encryption"], in: dir, environment: Self.with(Self.keyB))
        #expect(removed.stdout.contains("stored in clear"), "\(removed.stdout)")
        #expect(Self.holds(Self.canary, Self.stateBytes(dir)), "the values are in clear again")
        try Self.run(["plan", "--detailed-exitcode"], in: dir, environment: Self.noKey)
    }

    @Test func rekeyEncryptsAStateWrittenInClearAndModeAllHidesEverything() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        try Self.run(["apply", "--auto-approve"], in: dir, environment: Self.noKey)
        #expect(Self.holds(Self.canary, Self.stateBytes(dir)))

        try Self.run(["state", "rekey", "--mode", "all"], in: dir, environment: Self.with(Self.keyA))
        let bytes = Self.stateBytes(dir)
        #expect(!Self.holds(Self.canary, bytes), "rekey sealed the values written in clear")
        #expect(!Self.holds(Self.visible, bytes), "mode all seals non-sensitive values too")
        try Self.run(["plan"], in: dir, environment: Self.noKey, status: 1)
        try Self.run(["plan", "--detailed-exitcode"], in: dir, environment: Self.with(Self.keyA))

        // A new state in mode all from the start.
        let fresh = try TemporaryDirectory()
        try fresh.write("main.yaml", Self.manifest)
        try Self.run(["apply", "--auto-approve"], in: fresh, environment: Self.with(Self.keyA, ["TEND_STATE_ENCRYPT": "all"]))
        #expect(!Self.holds(Self.visible, Self.stateBytes(fresh)))
        try Self.run(["plan", "--detailed-exitcode"], in: fresh, environment: Self.with(Self.keyA))
        // Drift findings hold the non-sensitive values that drifted: sealed too in mode all.
        let outside = "plain-changed-outside-e41a"
        try fresh.write("note.txt", outside)
        let drift = try Self.run(["drift", "--detailed-exitcode"], in: fresh, environment: Self.with(Self.keyA), status: 2)
        #expect(drift.stdout.contains(outside), "drift shows what changed to whoever holds the key: \(drift.stdout)")
        #expect(!Self.holds(outside, Self.stateBytes(fresh)), "the finding's values are sealed")
        let report = try Self.run(["report", "--format", "json"], in: fresh, environment: Self.with(Self.keyA))
        #expect(report.stdout.contains(outside), "the report opens them")
    }

    @Test func aSavedPlanNeedsTheStateKeyAsWellAsThePlanKey() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        try Self.run(["plan", "-out", "tend.plan"], in: dir, environment: Self.with(Self.keyA))
        let saved = try Data(contentsOf: dir.url.appendingPathComponent("tend.plan"))
        #expect(!Self.holds(Self.canary, saved))
        #expect(dir.exists(".tend/plan.key"), "the plan key lies beside the state")

        let shown = try Self.run(["show", "tend.plan"], in: dir, environment: Self.noKey, status: 1)
        #expect(shown.stderr.contains("cannot open the saved plan"), "\(shown.stderr)")
        try Self.run(["apply", "tend.plan"], in: dir, environment: Self.with(Self.keyB), status: 1)
        #expect(!dir.exists("secret.txt"))
        try Self.run(["apply", "tend.plan"], in: dir, environment: Self.with(Self.keyA))
        #expect(try dir.read("secret.txt") == Self.canary)
        #expect(!Self.holds(Self.canary, Self.stateBytes(dir)))
    }

    @Test func migrateCopiesAnEncryptedStateThatTheSameKeyOpens() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        try Self.run(["apply", "--auto-approve"], in: dir, environment: Self.with(Self.keyA))
        try Self.run(["state", "migrate", "--to", "copy.db"], in: dir, environment: Self.with(Self.keyA))
        #expect(!Self.holds(Self.canary, Self.stateBytes(dir, "copy.db")), "the copy holds the values sealed")
        try Self.run(["plan", "--detailed-exitcode", "--state", "copy.db"], in: dir, environment: Self.with(Self.keyA))
        try Self.run(["plan", "--state", "copy.db"], in: dir, environment: Self.noKey, status: 1)
    }

    /// The same on PostgreSQL: a migrated encrypted state opens there with the same key and no other, its tables hold
    /// no secret in clear, and rekey works there.
    @Test func anEncryptedStateOnPostgresWorksAlike() throws {
        let server = try PostgresServer.shared()
        let url = server.url(schema: PostgresServer.uniqueSchema("enc"), stack: "web")
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        try Self.run(["apply", "--auto-approve"], in: dir, environment: Self.with(Self.keyA))
        try Self.run(["state", "migrate", "--to", url], in: dir, environment: Self.with(Self.keyA))
        let raw = PostgresStateStore(url: url, defaultStack: "unused")
        let strings = try raw.resources().map { "\($0.attributes)" }.joined()
        #expect(strings.contains(Self.visible), "the rows were copied")
        #expect(!strings.contains(Self.canary), "the rows hold the secret sealed")

        try Self.run(["plan", "--detailed-exitcode", "--state", url], in: dir, environment: Self.with(Self.keyA))
        try Self.run(["plan", "--state", url], in: dir, environment: Self.with(Self.keyB), status: 1)
        try Self.run(["plan", "--state", url], in: dir, environment: Self.noKey, status: 1)
        let newKey = try Self.writeKeyFile(dir, "new.key", Self.keyB)
        try Self.run(["state", "rekey", "--new-key-file", newKey, "--state", url], in: dir, environment: Self.with(Self.keyA))
        try Self.run(["plan", "--detailed-exitcode", "--state", url], in: dir, environment: Self.with(Self.keyB))
        try Self.run(["plan", "--state", url], in: dir, environment: Self.with(Self.keyA), status: 1)
        #expect(!(try raw.resources().map { "\($0.attributes)" }.joined()).contains(Self.canary))

        // Apply writes there sealed under the new key.
        let rotated = "tend-canary-rotated-on-postgres-31f0"
        try dir.write("main.yaml", Self.manifest.replacingOccurrences(of: Self.canary, with: rotated))
        let apply = try Self.run(["apply", "--auto-approve", "--state", url], in: dir, environment: Self.with(Self.keyB))
        #expect(!apply.stdout.contains(rotated))
        #expect(try dir.read("secret.txt") == rotated)
        try Self.run(["plan", "--detailed-exitcode", "--state", url], in: dir, environment: Self.with(Self.keyB))
        #expect(!(try raw.resources().map { "\($0.attributes)" }.joined()).contains(rotated))
    }
}
