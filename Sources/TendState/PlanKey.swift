import CCrypto
import Foundation

/// The AES-256-GCM key that seals saved plan files. It lives next to the state database (`plan.key`, mode 0600, in
/// the state's directory), so a plan file alone reveals nothing, and only a tend that can read this state can apply it.
public struct PlanKey: Sendable {
    /// The 32 key bytes.
    public let bytes: [UInt8]

    /// What one sealing produced: a fresh 12-byte nonce, the ciphertext and the 16-byte authentication tag.
    public struct Sealed: Sendable, Hashable {
        public var nonce: [UInt8]
        public var ciphertext: [UInt8]
        public var tag: [UInt8]

        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }

    /// A key of 32 given bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// A new random key.
    public static func generate() -> PlanKey {
        var generator = SystemRandomNumberGenerator()
        return PlanKey(unchecked: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// Where the key of the state at `statePath` lives: `plan.key` in the same directory.
    public static func path(besideState statePath: String) -> String {
        ((statePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("plan.key")
    }

    /// Reads the key file (64 hex digits); an error says what is missing or wrong.
    public static func load(from path: String) throws -> PlanKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StateError(.io, "the plan key \(path) is missing; a saved plan can only be applied beside the state it was made with")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = hexBytes(text), let key = PlanKey(bytes: bytes) else {
            throw StateError(.corrupt, "the plan key \(path) is damaged: expected 64 hex digits")
        }
        return key
    }

    /// Reads the key file, creating it (mode 0600, and its directory 0700 when missing) with a new key first.
    public static func loadOrCreate(at path: String) throws -> PlanKey {
        if FileManager.default.fileExists(atPath: path) { return try load(from: path) }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw StateError(.io, "cannot create \(directory) for the plan key: \(error.localizedDescription)")
            }
        }
        let key = generate()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd < 0 {
            // Another run created it first: use theirs.
            if errno == EEXIST { return try load(from: path) }
            throw StateError(.io, "cannot create the plan key \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let text = Array((key.bytes.map { String(format: "%02x", $0) }.joined() + "\n").utf8)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == text.count, fsync(fd) == 0 else {
            throw StateError(.io, "cannot write the plan key \(path): \(String(cString: strerror(errno)))")
        }
        return key
    }

    /// A short public name of the key (the first 16 hex digits of its SHA-256), to tell keys apart in errors.
    public var id: String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        bytes.withUnsafeBufferPointer { input in
            _ = EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        return digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Encrypts and authenticates `plaintext` (and `associatedData`, which is authenticated but not encrypted).
    public func seal(_ plaintext: [UInt8], associatedData: [UInt8]) throws -> Sealed {
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<12).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        guard let context = EVP_CIPHER_CTX_new() else { throw StateError(.io, "cannot start AES-256-GCM") }
        defer { EVP_CIPHER_CTX_free(context) }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var tag = [UInt8](repeating: 0, count: 16)
        var length: Int32 = 0
        var total = 0
        var ok = EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1
            && EVP_CIPHER_CTX_ctrl(context, PlanKey.setIVLength, 12, nil) == 1
            && EVP_EncryptInit_ex(context, nil, nil, bytes, nonce) == 1
            && EVP_EncryptUpdate(context, nil, &length, associatedData, Int32(associatedData.count)) == 1
        if ok, !plaintext.isEmpty {
            ok = EVP_EncryptUpdate(context, &ciphertext, &length, plaintext, Int32(plaintext.count)) == 1
            total = Int(length)
        }
        if ok {
            ok = ciphertext.withUnsafeMutableBufferPointer { out in
                EVP_EncryptFinal_ex(context, out.baseAddress.map { $0 + total }, &length) == 1
            }
            total += Int(length)
        }
        ok = ok && EVP_CIPHER_CTX_ctrl(context, PlanKey.getTag, 16, &tag) == 1
        guard ok else { throw StateError(.io, "AES-256-GCM encryption failed") }
        return Sealed(nonce: nonce, ciphertext: Array(ciphertext.prefix(total)), tag: tag)
    }

    /// Decrypts what `seal` produced; an error when the key is another or anything was altered.
    public func unseal(_ sealed: Sealed, associatedData: [UInt8]) throws -> [UInt8] {
        guard sealed.nonce.count == 12, sealed.tag.count == 16 else {
            throw StateError(.corrupt, "the sealed data is damaged")
        }
        guard let context = EVP_CIPHER_CTX_new() else { throw StateError(.io, "cannot start AES-256-GCM") }
        defer { EVP_CIPHER_CTX_free(context) }
        var plaintext = [UInt8](repeating: 0, count: sealed.ciphertext.count + 16)
        var tag = sealed.tag
        var length: Int32 = 0
        var total = 0
        var ok = EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1
            && EVP_CIPHER_CTX_ctrl(context, PlanKey.setIVLength, 12, nil) == 1
            && EVP_DecryptInit_ex(context, nil, nil, bytes, sealed.nonce) == 1
            && EVP_DecryptUpdate(context, nil, &length, associatedData, Int32(associatedData.count)) == 1
        if ok, !sealed.ciphertext.isEmpty {
            ok = EVP_DecryptUpdate(context, &plaintext, &length, sealed.ciphertext, Int32(sealed.ciphertext.count)) == 1
            total = Int(length)
        }
        ok = ok && EVP_CIPHER_CTX_ctrl(context, PlanKey.setTag, 16, &tag) == 1
        if ok {
            ok = plaintext.withUnsafeMutableBufferPointer { out in
                EVP_DecryptFinal_ex(context, out.baseAddress.map { $0 + total }, &length) == 1
            }
            total += Int(length)
        }
        guard ok else {
            throw StateError(.corrupt, "the sealed data does not open with plan key \(id): another key, or it was altered")
        }
        return Array(plaintext.prefix(total))
    }

    // EVP_CTRL_AEAD_SET_IVLEN, EVP_CTRL_AEAD_GET_TAG and EVP_CTRL_AEAD_SET_TAG (openssl/evp.h): macros Swift
    // does not import.
    private static let setIVLength: Int32 = 0x9
    private static let getTag: Int32 = 0x10
    private static let setTag: Int32 = 0x11

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[i]), let low = hexValue(digits[i + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
