import CCrypto
import Foundation
import TendModel

/// The hash chain of the audit log: each row's hash covers the previous row's hash and its own fields.
enum AuditChain {
    /// The `previousHash` of the first row.
    static let genesisHash = String(repeating: "0", count: 64)

    /// SHA-256 hex of `previousHash + "\n" + [sequence, at, who, action, target, result]` as canonical JSON.
    static func hash(previousHash: String, sequence: Int64, at: Date, who: String, action: String,
                     target: String, result: String) -> String {
        let fields = Value.list([
            // A finite time reads as the same text the double's shortest form gave before numbers were exact.
            .number(Number(sequence)), .number(Number(at.timeIntervalSince1970) ?? 0),
            .string(who), .string(action), .string(target), .string(result),
        ]).canonicalJSON
        return sha256Hex(previousHash + "\n" + fields)
    }

    /// The entry that follows `previous` (nil for the first one).
    static func entry(after previous: AuditEntry?, at: Date, who: String, action: String, target: String,
                      result: String) -> AuditEntry {
        let sequence = (previous?.sequence ?? 0) + 1
        let previousHash = previous?.hash ?? genesisHash
        let hash = hash(previousHash: previousHash, sequence: sequence, at: at, who: who, action: action,
                        target: target, result: result)
        return AuditEntry(sequence: sequence, at: at, who: who, action: action, target: target, result: result,
                          previousHash: previousHash, hash: hash)
    }

    /// The sequence of the first entry whose link or hash does not match, nil when the chain is intact.
    static func firstBrokenSequence(in entries: [AuditEntry]) -> Int64? {
        var expectedPrevious = genesisHash
        for entry in entries {
            let recomputed = hash(previousHash: entry.previousHash, sequence: entry.sequence, at: entry.at,
                                  who: entry.who, action: entry.action, target: entry.target, result: entry.result)
            guard entry.previousHash == expectedPrevious, entry.hash == recomputed else { return entry.sequence }
            expectedPrevious = entry.hash
        }
        return nil
    }

    /// Lower-case hex SHA-256 of the UTF-8 bytes of `text`.
    static func sha256Hex(_ text: String) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                _ = SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

extension AuditChain {
    /// Checks an audit log copied into another store: the same rows, and a chain that verifies there. Throws
    /// `.corrupt` naming `place` otherwise, so the copy's transaction rolls back.
    static func verifyCopy(_ landed: [AuditEntry], of source: [AuditEntry], at place: String) throws {
        if let broken = firstBrokenSequence(in: landed) {
            throw StateError(.corrupt, "the audit log copied to \(place) does not verify from row \(broken) on; nothing was copied")
        }
        guard landed == source else {
            throw StateError(.corrupt, "the audit log copied to \(place) differs from the original (\(landed.count) rows "
                + "arrived of \(source.count)); nothing was copied")
        }
    }
}
