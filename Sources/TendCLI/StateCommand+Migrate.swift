import ArgumentParser
import Foundation
import TendEngine
import TendState

extension StateCommand {
    /// `tend state migrate --to DESTINATION`: copies this stack's state to another store, holding the lock of the one
    /// it copies from so nothing changes meanwhile; the original is left as it was.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Copy the state (resources, history, runs, drift findings, audit log) to another store.",
            discussion: "DESTINATION is a postgres:// URL (its stack parameter names the stack there, else the "
                + "configuration directory's name does) or a SQLite file; it must hold no state yet. Encrypted values are "
                + "copied sealed, with the key check: the same state key opens the copy. The audit chain is "
                + "verified where it lands before anything is committed. The original state is left as it was: use "
                + "--state DESTINATION from then on.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var lock: LockOptions
        @Option(name: .long, help: "Where to copy the state: postgres://USER@HOST:PORT/DB?stack=NAME, or a SQLite file.")
        var to: String

        func run() async throws {
            let workspace = Workspace(global, lock: lock)
            let source = workspace.makeStore()
            let destination = workspace.makeImportingStore(at: to)
            let engine = workspace.makeEngine(store: source)
            let from = workspace.stateDescription
            let copied = try await workspace.interruptible {
                try await workspace.guarded {
                    try await engine.withLock(operation: "state migrate") {
                        try Self.copy(from: source, describedAs: from, to: destination.store)
                    }
                }
            }
            workspace.terminal.write("Copied \(copied) from \(from) to \(destination.description); the audit chain "
                + "verified there. The original is unchanged: use --state with the new location from now on.\n")
        }

        /// Reads the whole state of `source` and writes it into `destination`; returns what was copied.
        static func copy(from source: any StateStore, describedAs name: String, to destination: any StateImporting) throws -> String {
            // An encrypted state is copied sealed, with its key check: the same key opens it where it lands.
            let sealed = try (source as? EncryptedStateStore)?.verifiedBase() ?? source
            guard let snapshot = try StateSnapshot(reading: sealed) else {
                throw StateError(.notFound, "there is no state at \(name) to copy")
            }
            if let broken = try source.verifyAuditChain() {
                throw StateError(.corrupt, "the audit log at \(name) does not verify from row \(broken) on; tend copies "
                    + "only a state whose audit chain is intact (see tend audit)")
            }
            try destination.importSnapshot(snapshot)
            return snapshot.summary
        }
    }
}
