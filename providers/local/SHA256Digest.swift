import CCrypto

/// A SHA-256 digest computed with OpenSSL's libcrypto (Foundation on Linux has none).
public struct SHA256Digest: Sendable, Hashable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Hashes the given bytes.
    public init(hashing data: [UInt8]) {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        data.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                _ = SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        bytes = digest
    }

    /// Hashes the UTF-8 bytes of a string.
    public init(hashing text: String) {
        self.init(hashing: Array(text.utf8))
    }

    /// The digest as 64 lowercase hexadecimal digits.
    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: bytes.count * 2)
        for (i, byte) in bytes.enumerated() {
            out[2 * i] = digits[Int(byte >> 4)]
            out[2 * i + 1] = digits[Int(byte & 0x0f)]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` reads as a digest: 64 lowercase hexadecimal digits.
    public static func isHex(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            utf8.count == 64 && utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        }
    }

    /// The hexadecimal digest.
    public var description: String { hex }
}
