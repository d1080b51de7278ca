import Foundation
import TendState

/// The state key (docs/state-encryption.md): where it is read from, and the stores and plan keys it takes part in.
extension Workspace {
    /// The state key: the file named by `--state-key-file`, else by `TEND_STATE_KEY_FILE`, else the key in
    /// `TEND_STATE_KEY`; nil when none is given. An empty variable counts as unset. Errors name where the key came
    /// from, never the key.
    func stateKey() -> Result<StateKey?, StateError> {
        Result {
            if let path = options.stateKeyFile ?? nonEmpty("TEND_STATE_KEY_FILE") {
                return try StateKey.load(from: Workspace.absolute(path, from: FileManager.default.currentDirectoryPath))
            }
            if let text = nonEmpty("TEND_STATE_KEY") { return try StateKey.parse(text, source: "TEND_STATE_KEY") }
            return nil
        }.mapError { error in
            error as? StateError ?? StateError(.invalidKey, "cannot read the state key: \(error)")
        }
    }

    /// What encryption seals when it starts on a state (`TEND_STATE_ENCRYPT`: `sensitive`, the default, or `all`); a
    /// state that records a mode keeps it, and `tend state rekey --mode` changes it.
    func startingEncryptionMode() throws -> StateEncryption.Mode {
        guard let text = nonEmpty("TEND_STATE_ENCRYPT") else { return .sensitive }
        guard let mode = StateEncryption.Mode(rawValue: text) else {
            throw StateError(.invalidKey, "TEND_STATE_ENCRYPT is \"\(text)\"; expected sensitive or all")
        }
        return mode
    }

    /// `base` with the state key's encryption over it.
    func encrypting(_ base: any StateStore) -> EncryptedStateStore {
        var key = stateKey()
        var mode = StateEncryption.Mode.sensitive
        do {
            mode = try startingEncryptionMode()
            if case .success(nil) = key, nonEmpty("TEND_STATE_ENCRYPT") != nil {
                key = .failure(StateError(.keyMissing, "TEND_STATE_ENCRYPT is set but no state key was given: set "
                    + "TEND_STATE_KEY or TEND_STATE_KEY_FILE, or pass --state-key-file"))
            }
        } catch let error as StateError {
            key = .failure(error)
        } catch {
            key = .failure(StateError(.invalidKey, "\(error)"))
        }
        let location = (base as? PostgresStateStore)?.location ?? statePath
        return EncryptedStateStore(base, key: key, mode: mode, location: location)
    }

    /// The key that seals saved plans: `planKey` itself without a state key; with one (checked against the state),
    /// a key derived from both, so the plan key kept beside the state does not open a plan without the state key.
    func sealingKey(for planKey: PlanKey) throws -> PlanKey {
        guard let stateKey = try encrypting(makeBaseStore()).verifiedKey() else { return planKey }
        return try stateKey.sealing(planKey)
    }

    /// The variables that hold state keys themselves: never handed to provider plugins, which are other programs.
    static let stateKeyVariables: Set<String> = ["TEND_STATE_KEY", "TEND_STATE_NEW_KEY"]

    /// The environment provider plugins run with: tend's, without the state keys.
    var pluginEnvironment: [String: String] {
        environment.filter { !Workspace.stateKeyVariables.contains($0.key) }
    }

    private func nonEmpty(_ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
