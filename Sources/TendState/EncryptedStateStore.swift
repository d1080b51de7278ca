import Foundation
import TendModel

/// A state store with its values encrypted at rest (docs/state-encryption.md): wraps any store, seals what is written
/// and opens what is read, so every backend encrypts alike and `tend state migrate` can copy the sealed values as
/// they are.
///
/// Before its first use it compares the key it was given with the key check the state records: a state that records
/// one is refused without a key (`.keyMissing`) or with another key (`.wrongKey`), before anything is read or written.
/// Without a key and without a recorded check it passes values through, except that a sealed value found on reading
/// is still refused. Given a key for a state that records none, it records the key's check (and the mode) with the
/// first write of a record, and seals from then on; values written before stay as they were until `tend state rekey`.
public final class EncryptedStateStore: StateStore, @unchecked Sendable {
    /// The store underneath, which holds sealed values.
    public let base: any StateStore
    /// The key, or why it could not be had (a key file that is missing, open to others, not a key).
    let key: Result<StateKey?, StateError>
    /// The mode encryption starts with when this store turns it on; a state that records a mode keeps its own.
    let startingMode: StateEncryption.Mode
    /// Where the state is, for errors.
    public let location: String

    private let mutex = NSLock()
    private var checked: Checked?

    /// What the first use found.
    private enum Checked {
        /// No key, no check: values pass through.
        case plain
        /// A key the state records no check for yet.
        case starting(StateKey)
        /// A key the state's check accepts.
        case encrypted(StateKey, StateEncryption)
    }

    /// A store over `base`. Nothing is read here: the key is compared with the state on first use.
    public init(_ base: any StateStore, key: Result<StateKey?, StateError>, mode: StateEncryption.Mode = .sensitive,
                location: String) {
        self.base = base
        self.key = key
        self.startingMode = mode
        self.location = location
    }

    /// A store over `base` with `key` (nil: none).
    public convenience init(_ base: any StateStore, key: StateKey?, mode: StateEncryption.Mode = .sensitive,
                            location: String) {
        self.init(base, key: .success(key), mode: mode, location: location)
    }

    /// The store underneath once the key is known to open it: for copying the state's sealed values as they are.
    public func verifiedBase() throws -> any StateStore {
        _ = try checkedState()
        return base
    }

    /// The key given, once it is known to open the state; nil when none was given (and the state needs none).
    public func verifiedKey() throws -> StateKey? {
        switch try checkedState() {
        case .plain: return nil
        case let .starting(key), let .encrypted(key, _): return key
        }
    }

    /// Compares the key with the state's check, once.
    private func checkedState() throws -> Checked {
        mutex.lock()
        defer { mutex.unlock() }
        if let checked { return checked }
        let given = try key.get()
        let recorded = try base.encryption()
        let found: Checked
        switch (recorded, given) {
        case (nil, nil):
            found = .plain
        case let (recorded?, nil):
            throw StateError(.keyMissing, "\(location) is encrypted (state key \(recorded.keyID)) and no state key was "
                + "given: set TEND_STATE_KEY or TEND_STATE_KEY_FILE, or pass --state-key-file; nothing was read or written")
        case let (recorded?, given?):
            guard recorded.isOpened(by: given) else {
                throw StateError(.wrongKey, "the state key given (\(given.id)) is not the one \(location) is encrypted "
                    + "with (\(recorded.keyID)): give that key; after a rotation, the new one (tend state rekey); "
                    + "nothing was read or written")
            }
            found = .encrypted(given, recorded)
        case let (nil, given?):
            found = .starting(given)
        }
        checked = found
        return found
    }

    /// The sealer for reading.
    func opener() throws -> StateSealer {
        switch try checkedState() {
        case .plain: return StateSealer(key: nil, mode: .sensitive, location: location)
        case let .starting(key): return StateSealer(key: key, mode: startingMode, location: location)
        case let .encrypted(key, recorded): return StateSealer(key: key, mode: recorded.mode, location: location)
        }
    }

    /// The sealer for writing a record, recording the key's check first when this write turns encryption on.
    func sealer() throws -> StateSealer {
        switch try checkedState() {
        case .plain:
            return StateSealer(key: nil, mode: .sensitive, location: location)
        case let .encrypted(key, recorded):
            return StateSealer(key: key, mode: recorded.mode, location: location)
        case let .starting(key):
            let encryption = StateEncryption(mode: startingMode, key: key)
            try base.recordEncryption(encryption)
            mutex.lock()
            checked = .encrypted(key, encryption)
            mutex.unlock()
            return StateSealer(key: key, mode: startingMode, location: location)
        }
    }

    /// Forgets what the first use found, so the next use compares again (after a rekey).
    func recheck() {
        mutex.lock()
        checked = nil
        mutex.unlock()
    }

    /// Opens a record read from the base; a plain store still refuses sealed values (a check removed by hand).
    func open(_ record: ResourceRecord, with sealer: StateSealer) throws -> ResourceRecord {
        needsOpening(record, with: sealer) ? try sealer.open(record) : record
    }

    /// Whether `open` has anything to do: always with a key; without one, only for a record holding sealed values
    /// (which it then refuses).
    func needsOpening(_ record: ResourceRecord, with sealer: StateSealer) -> Bool {
        sealer.key != nil || StateSealer.holdsSealedValues(record)
    }
}
