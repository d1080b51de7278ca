import CCrypto
import Foundation

/// The key that encrypts a state's sensitive values at rest (docs/state-encryption.md): 32 random bytes the operator
/// keeps outside the state (`TEND_STATE_KEY`, `TEND_STATE_KEY_FILE` or `--state-key-file`), written as base64 or as 64
/// hex digits. The bytes are never used directly: HMAC-SHA256 derives one key per purpose from them (the AES-256-GCM
/// key of state values, the key check the state records, the key that seals saved plans), so no two uses share a key.
///
/// A passphrase is not accepted: the key check the state records would let anyone who steals the state guess at it
/// offline, and a random 256-bit key cannot be guessed.
public struct StateKey: Sendable {
    /// The AES-256-GCM key of state values.
    let cipher: PlanKey
    /// HMAC-SHA256 of a fixed label under the key, as 64 hex digits: what the state records to tell keys apart.
    public let check: String
    /// The key's bytes, kept to derive the plan sealing key.
    private let material: [UInt8]

    /// A key of exactly 32 bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32, let cipher = PlanKey(bytes: Self.derive(bytes, "tend/state-values/v1")) else { return nil }
        self.material = bytes
        self.cipher = cipher
        self.check = Self.derive(bytes, "tend/state-key-check/v1").map { String(format: "%02x", $0) }.joined()
    }

    /// A short public name of the key (the first 16 hex digits of its check), safe to print: it tells keys apart and
    /// reveals nothing of them.
    public var id: String { String(check.prefix(16)) }

    /// Reads a key written as base64 (standard or URL-safe, padded or not) or 64 hex digits; surrounding white space is
    /// ignored. `source` names where it came from, for the error, which never repeats the text.
    public static func parse(_ text: String, source: String) throws -> StateKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.utf8.count == 64, let bytes = PlanKey.hexBytes(trimmed), let key = StateKey(bytes: bytes) {
            return key
        }
        var base64 = trimmed.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        if let data = Data(base64Encoded: base64), let key = StateKey(bytes: Array(data)) { return key }
        throw StateError(.invalidKey, "the state key in \(source) is not a key: expected 32 random bytes written as "
            + "base64 (44 characters) or 64 hex digits; make one with `openssl rand -base64 32` (passphrases are not "
            + "accepted)")
    }

    /// Reads a key file: refused when missing, unreadable, or readable or writable by anyone but its owner (like an
    /// SSH private key), since a key others can read protects nothing.
    public static func load(from path: String) throws -> StateKey {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw StateError(.invalidKey, "cannot read the state key file \(path): \(String(cString: strerror(errno)))")
        }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw StateError(.invalidKey, "the state key file \(path) is open to others (mode "
                + String(format: "%04o", mode) + "); run `chmod 600 \(path)` and try again")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StateError(.invalidKey, "cannot read the state key file \(path)")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    /// The key that seals saved plans when the state is encrypted: derived from this key and the plan key kept beside
    /// the state, so a plan file and the plan key together open nothing without this key.
    public func sealing(_ planKey: PlanKey) throws -> PlanKey {
        let planSubkey = Self.derive(material, "tend/plan-sealing/v1")
        guard let sealing = PlanKey(bytes: Self.hmac(key: planSubkey, planKey.bytes)) else {
            throw StateError(.io, "cannot derive the plan sealing key from state key \(id) (HMAC-SHA256 failed)")
        }
        return sealing
    }

    /// HMAC-SHA256 of `label` under `key`.
    private static func derive(_ key: [UInt8], _ label: String) -> [UInt8] {
        hmac(key: key, Array(label.utf8))
    }

    private static func hmac(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = HMAC(EVP_sha256(), key, Int32(key.count), data, data.count, &out, &length)
        return Array(out.prefix(Int(length)))
    }
}
