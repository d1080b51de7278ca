/// One step of the state schema: the SQL that brings a database from `version - 1` to `version`.
struct SchemaMigration: Sendable {
    /// The `user_version` after this step.
    var version: Int32
    var statements: [String]

    /// `PRAGMA application_id` of every tend state database: "TEND" in ASCII.
    static let applicationID: Int32 = 0x5445_4E44

    /// Every step, oldest first. Append new steps; never edit a released one.
    static let all: [SchemaMigration] = [
        SchemaMigration(version: 1, statements: [
            """
            CREATE TABLE meta (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                lineage TEXT NOT NULL,
                serial INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE resources (
                address TEXT PRIMARY KEY,
                type TEXT NOT NULL,
                provider TEXT NOT NULL,
                id TEXT NOT NULL,
                attributes TEXT NOT NULL,
                sensitive_paths TEXT NOT NULL,
                dependencies TEXT NOT NULL,
                schema_version INTEGER NOT NULL,
                status TEXT NOT NULL,
                updated_at REAL NOT NULL
            )
            """,
            """
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                started_at REAL NOT NULL,
                finished_at REAL,
                outcome TEXT,
                counts TEXT NOT NULL DEFAULT '{}'
            )
            """,
            """
            CREATE TABLE history (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                serial INTEGER NOT NULL,
                run_id INTEGER NOT NULL,
                address TEXT NOT NULL,
                action TEXT NOT NULL,
                before TEXT,
                after TEXT,
                at REAL NOT NULL
            )
            """,
            "CREATE INDEX history_by_address ON history (address, seq)",
            """
            CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY,
                at REAL NOT NULL,
                who TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                result TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            """
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
            """,
            """
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
            """,
            """
            CREATE TABLE lock (
                slot INTEGER PRIMARY KEY CHECK (slot = 1),
                id TEXT NOT NULL,
                holder TEXT NOT NULL,
                operation TEXT NOT NULL,
                pid INTEGER NOT NULL,
                host TEXT NOT NULL,
                since REAL NOT NULL
            )
            """,
            """
            CREATE TABLE drift_findings (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id INTEGER NOT NULL REFERENCES runs (id),
                address TEXT NOT NULL,
                type TEXT NOT NULL DEFAULT '',
                kind TEXT NOT NULL CHECK (kind IN ('changed', 'missing', 'unmanaged')),
                path TEXT NOT NULL DEFAULT '',
                expected TEXT,
                actual TEXT,
                first_seen REAL NOT NULL,
                last_seen REAL NOT NULL,
                resolved_at REAL,
                resolution TEXT CHECK (resolution IN ('remediated', 'accepted', 'reverted')),
                resolved_run INTEGER
            )
            """,
            """
            CREATE TABLE drift_sightings (
                finding_id INTEGER NOT NULL REFERENCES drift_findings (id),
                run_id INTEGER NOT NULL REFERENCES runs (id),
                at REAL NOT NULL,
                PRIMARY KEY (finding_id, run_id)
            )
            """,
            "CREATE INDEX drift_findings_by_address ON drift_findings (address, resolved_at)",
        ]),
        // The stack id tags and recovery use. NULL in a state written before ids were recorded: the first run
        // after the upgrade records the name that tend used then (the configuration directory's name).
        SchemaMigration(version: 2, statements: [
            "ALTER TABLE meta ADD COLUMN stack_id TEXT",
        ]),
        // Old halves of create_before_destroy replacements, kept until deleted so a failed delete is retried.
        SchemaMigration(version: 3, statements: [
            """
            CREATE TABLE deposed (
                address TEXT NOT NULL,
                type TEXT NOT NULL,
                provider TEXT NOT NULL,
                id TEXT NOT NULL,
                attributes TEXT NOT NULL,
                sensitive_paths TEXT NOT NULL,
                dependencies TEXT NOT NULL,
                schema_version INTEGER NOT NULL,
                status TEXT NOT NULL,
                updated_at REAL NOT NULL,
                PRIMARY KEY (address, id)
            )
            """,
        ]),
        // Private data providers return with an object, kept and handed back.
        SchemaMigration(version: 4, statements: [
            "ALTER TABLE resources ADD COLUMN private TEXT",
            "ALTER TABLE deposed ADD COLUMN private TEXT",
        ]),
        // The lock holder's process identity (boot id and start time), so a reused pid is not taken for it.
        SchemaMigration(version: 5, statements: [
            "ALTER TABLE lock ADD COLUMN process TEXT",
        ]),
        // Computed attributes that changed with a finding's attribute (a file's sha256 and size), kept with it.
        SchemaMigration(version: 6, statements: [
            "ALTER TABLE drift_findings ADD COLUMN context TEXT",
        ]),
        // How values are encrypted at rest (docs/state-encryption.md): the mode and the key's check, never the key.
        // NULL: not encrypted. A tend without it refuses the file (a newer schema) rather than misread sealed values.
        SchemaMigration(version: 7, statements: [
            "ALTER TABLE meta ADD COLUMN encryption TEXT",
        ]),
        // Outputs recorded by the last apply, their values as JSON.
        SchemaMigration(version: 8, statements: [
            "CREATE TABLE outputs (name TEXT PRIMARY KEY, value TEXT NOT NULL, sensitive INTEGER NOT NULL DEFAULT 0)",
        ]),
        // The lock as a lease (docs/locking.md): the last fencing token taken, which only grows and outlives the lock
        // row, and the lock it belongs to (`lock_id`) with its expiry on the wall clock. A lock row whose id is not
        // `lock_id` (written by an older tend) has no lease: it never runs out. IF NOT EXISTS keeps the step safe on a
        // file an older tend's schema was rebuilt on.
        SchemaMigration(version: 9, statements: [
            """
            CREATE TABLE IF NOT EXISTS lease (
                slot INTEGER PRIMARY KEY CHECK (slot = 1),
                token INTEGER NOT NULL,
                lock_id TEXT,
                expires_at REAL
            )
            """,
        ]),
        // Who ran each run and where (`user@host`); NULL for the runs an older tend recorded.
        SchemaMigration(version: 10, statements: [
            "ALTER TABLE runs ADD COLUMN actor TEXT",
        ]),
    ]

    /// The newest schema this tend knows.
    static var currentVersion: Int32 {
        all.last?.version ?? 0
    }
}
