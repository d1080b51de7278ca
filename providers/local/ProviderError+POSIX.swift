#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ProviderKit

extension ProviderError {
    /// An error for a failed system call on a path: EACCES and EPERM are access denied,
    /// EAGAIN, EBUSY and EINTR are transient, anything else is a terminal failure.
    static func posix(_ action: String, path: String, errno code: Int32) -> ProviderError {
        let reason = String(cString: strerror(code))
        let message = "cannot \(action) \(path): \(reason)"
        let kind: Code
        switch code {
        case EACCES, EPERM: kind = .accessDenied
        case EAGAIN, EBUSY, EINTR: kind = .transient
        default: kind = .failed
        }
        return ProviderError(kind, message, remoteCode: errnoName(code))
    }

    /// The symbolic name of common errno values, `errno N` otherwise.
    private static func errnoName(_ code: Int32) -> String {
        let names: [Int32: String] = [
            EACCES: "EACCES", EPERM: "EPERM", ENOENT: "ENOENT", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR",
            EEXIST: "EEXIST", ENOSPC: "ENOSPC", EROFS: "EROFS", ENOTEMPTY: "ENOTEMPTY", ELOOP: "ELOOP",
            ENAMETOOLONG: "ENAMETOOLONG", EBUSY: "EBUSY", EAGAIN: "EAGAIN", EINTR: "EINTR", EIO: "EIO",
            EDQUOT: "EDQUOT", EXDEV: "EXDEV", EINVAL: "EINVAL",
        ]
        return names[code] ?? "errno \(code)"
    }
}
