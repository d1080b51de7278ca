import ArgumentParser
import Foundation
import TendEngine
import TendState

extension StateCommand {
    /// `tend state rekey`: re-encrypts every value the state holds under a new key in one transaction, holding the
    /// state lock (docs/state-encryption.md).
    struct Rekey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rekey",
            abstract: "Re-encrypt the state's values under a new state key, or encrypt a state for the first time.",
            discussion: "The current key comes from the usual place (--state-key-file, TEND_STATE_KEY_FILE or "
                + "TEND_STATE_KEY); the new one from --new-key-file, TEND_STATE_NEW_KEY_FILE or TEND_STATE_NEW_KEY, "
                + "else the current key is kept (fresh nonces; values written before the state was encrypted are "
                + "sealed). Everything is rewritten in one transaction and read back with the new key before it "
                + "commits. Saved plans made before a rekey no longer open: plan again.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var lock: LockOptions
        @Option(name: .customLong("new-key-file"), help: ArgumentHelp("The new state key: 32 bytes as base64, mode 0600.",
                                                                      valueName: "path"))
        var newKeyFile: String?
        @Option(name: .long, help: ArgumentHelp("What to encrypt from now on: sensitive (the values at sensitive paths) "
                    + "or all (whole attributes and history). Default: as the state records, else TEND_STATE_ENCRYPT."))
        var mode: String?
        @Flag(name: .customLong("remove-encryption"), help: "Decrypt every value and store it in clear from now on.")
        var removeEncryption = false

        func validate() throws {
            if let mode, StateEncryption.Mode(rawValue: mode) == nil {
                throw ValidationError("--mode expects sensitive or all, got \"\(mode)\"")
            }
            if removeEncryption, newKeyFile != nil || mode != nil {
                throw ValidationError("--remove-encryption takes neither --new-key-file nor --mode")
            }
        }

        func run() async throws {
            let workspace = Workspace(global, lock: lock)
            let store = workspace.encrypting(workspace.makeBaseStore())
            let engine = workspace.makeEngine(store: store)
            let location = workspace.stateDescription
            let actor = "\(LocalHost.userName(environment: workspace.environment))@\(LocalHost.name)"
            let removeEncryption = removeEncryption
            let mode = mode
            let newKeySource = newKeyFile
            let (counts, key, chosen) = try await workspace.interruptible {
                try await workspace.guarded {
                    let newKey = try removeEncryption ? nil : Self.newStateKey(workspace, file: newKeySource)
                    return try await engine.withLock(operation: "state rekey") {
                        let recorded = try store.recordedEncryption()
                        let target: StateKey? = try removeEncryption ? nil : (newKey ?? store.verifiedKey())
                        guard removeEncryption || target != nil else {
                            throw StateError(.keyMissing, "no state key to encrypt with: give one with TEND_STATE_KEY, "
                                + "TEND_STATE_KEY_FILE or --state-key-file (or a new one with --new-key-file)")
                        }
                        let chosen = try mode.flatMap(StateEncryption.Mode.init(rawValue:)) ?? recorded?.mode
                            ?? workspace.startingEncryptionMode()
                        let result = target.map { "encrypted (\(chosen.rawValue)) under state key \($0.id)" }
                            ?? "decrypted, encryption removed"
                        let counts = try store.rekey(to: target, mode: chosen, audit: AuditDraft(
                            who: actor, action: "state rekey", target: location, result: result, at: Date()))
                        return (counts, target, chosen)
                    }
                }
            }
            let rows = "\(counts.resources) resource\(counts.resources == 1 ? "" : "s"), \(counts.deposed) deposed "
                + "object\(counts.deposed == 1 ? "" : "s"), \(counts.history) history entr\(counts.history == 1 ? "y" : "ies"), "
                + "\(counts.findings) drift finding\(counts.findings == 1 ? "" : "s"), \(counts.outputs) output\(counts.outputs == 1 ? "" : "s")"
            if let key {
                workspace.terminal.write("Re-encrypted \(rows) in \(location) under state key \(key.id) (\(chosen.rawValue) "
                    + "values), and read them back with it. From now on the state opens only with that key.\n")
            } else {
                workspace.terminal.write("Decrypted \(rows) in \(location): its values are stored in clear from now on.\n")
            }
        }

        /// The new key: `--new-key-file`, else `TEND_STATE_NEW_KEY_FILE`, else `TEND_STATE_NEW_KEY`; nil when none.
        private static func newStateKey(_ workspace: Workspace, file: String?) throws -> StateKey? {
            let environment = workspace.environment
            if let path = file ?? environment["TEND_STATE_NEW_KEY_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) {
                return try StateKey.load(from: Workspace.absolute(path, from: FileManager.default.currentDirectoryPath))
            }
            if let text = environment["TEND_STATE_NEW_KEY"], !text.isEmpty {
                return try StateKey.parse(text, source: "TEND_STATE_NEW_KEY")
            }
            return nil
        }
    }
}
