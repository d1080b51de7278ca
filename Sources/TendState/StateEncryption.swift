import Foundation

/// How a state's values are encrypted, as the state records it (docs/state-encryption.md): which values, and a check
/// of the key (never the key) so that a missing or wrong key is refused before anything is read or written.
public struct StateEncryption: Sendable, Hashable {
    /// Which values are encrypted.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// The values at each record's sensitive paths (the default).
        case sensitive
        /// Every resource's and deposed object's whole attributes, and every history entry's before and after.
        case all
    }

    /// Which values are encrypted.
    public var mode: Mode
    /// The key's check (`StateKey.check`).
    public var keyCheck: String

    /// Settings for values encrypted under `key`.
    public init(mode: Mode, key: StateKey) {
        self.mode = mode
        self.keyCheck = key.check
    }

    init(mode: Mode, keyCheck: String) {
        self.mode = mode
        self.keyCheck = keyCheck
    }

    /// The public name of the key (`StateKey.id`).
    public var keyID: String { String(keyCheck.prefix(16)) }

    /// Whether `key` is the one the values were encrypted under.
    public func isOpened(by key: StateKey) -> Bool {
        // Both are public HMAC outputs: comparing them in non-constant time reveals nothing about the key.
        keyCheck == key.check
    }

    /// The column text: `{"check":"…","format":1,"mode":"sensitive"}`.
    var encoded: String {
        "{\"check\":\"\(keyCheck)\",\"format\":1,\"mode\":\"\(mode.rawValue)\"}"
    }

    /// Reads the column text; `where` names the column, for the error.
    static func decode(_ text: String, where column: String) throws -> StateEncryption {
        let value = try StateJSON.decodeValue(text, column: column)
        guard let fields = value.mapValue, fields["format"] == .number(1),
              let mode = fields["mode"]?.stringValue.flatMap(Mode.init(rawValue:)),
              let check = fields["check"]?.stringValue, check.utf8.count == 64 else {
            throw StateError(.newerSchema, "\(column) records an encryption this tend does not know; use a newer tend")
        }
        return StateEncryption(mode: mode, keyCheck: check)
    }
}
