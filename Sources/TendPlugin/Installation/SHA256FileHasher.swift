#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CCrypto

/// SHA-256 of a file's content with libcrypto, read in 1 MiB chunks so a 700 MB provider binary never sits in
/// memory whole.
public enum SHA256FileHasher {
    /// The bytes read at a time.
    public static let chunkSize = 1 << 20

    /// The digest of the file at `path` as 64 lowercase hex digits; throws `.io` naming the path.
    public static func hexDigest(ofFileAt path: String) throws -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw InstallationFileSystem.ioError("open", path, errno) }
        defer { close(descriptor) }
        guard let context = EVP_MD_CTX_new() else {
            throw ProviderInstallationError(.io, "cannot start SHA-256 for \(path)")
        }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            throw ProviderInstallationError(.io, "cannot start SHA-256 for \(path)")
        }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw InstallationFileSystem.ioError("read", path, code)
            }
            let updated = buffer.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, count) }
            guard updated == 1 else { throw ProviderInstallationError(.io, "SHA-256 failed for \(path)") }
        }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1 else {
            throw ProviderInstallationError(.io, "SHA-256 failed for \(path)")
        }
        return hex(digest.prefix(Int(length)))
    }

    /// Lowercase hex digits of `bytes`.
    static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
