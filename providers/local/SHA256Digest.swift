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
        let digits: [Character] = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return out
    }

    /// The hexadecimal digest.
    public var description: String { hex }
}
