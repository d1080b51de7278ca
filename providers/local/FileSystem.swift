#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ProviderKit

/// What `lstat` says about a path.
struct FileStatus: Sendable, Hashable {
    /// The kind of object at a path.
    enum Kind: Sendable, Hashable {
        case regular, directory, symlink, other
    }

    var kind: Kind
    /// Permission bits (`st_mode & 0o7777`).
    var mode: FileMode
    var uid: UInt32
    var gid: UInt32
    var size: Int64
}

/// Thin wrappers over POSIX calls that throw `ProviderError` naming the path.
///
/// All of them block; the provider accepts that for now.
enum FileSystem {
    /// The status of the object at `path` without following a final symlink; nil when nothing is there.
    static func status(at path: String) throws -> FileStatus? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw ProviderError.posix("inspect", path: path, errno: code)
        }
        let mode = UInt32(info.st_mode)
        let kind: FileStatus.Kind
        switch mode & 0o170000 {
        case 0o100000: kind = .regular
        case 0o040000: kind = .directory
        case 0o120000: kind = .symlink
        default: kind = .other
        }
        return FileStatus(kind: kind, mode: FileMode(bits: mode), uid: UInt32(info.st_uid),
                          gid: UInt32(info.st_gid), size: Int64(info.st_size))
    }

    /// Whether `path` is a directory, following symlinks.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && UInt32(info.st_mode) & 0o170000 == 0o040000
    }

    /// The whole content of a file; nil when it does not exist. With `expectedSize` (what `lstat` just said), a read
    /// that returns exactly that many bytes, fewer than it asked for, is taken as the end: a regular file's read is
    /// short only there, so a file of the expected size is read with one `read`, not a second one that returns 0.
    static func readFile(at path: String, expectedSize: Int? = nil) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw ProviderError.posix("read", path: path, errno: code)
        }
        defer { close(fd) }
        // Sized by the expected size or fstat (one more byte to see the end), so a file is read straight into its array.
        var capacity = 64 * 1024
        if let expectedSize {
            capacity = expectedSize + 1
        } else {
            var info = stat()
            if fstat(fd, &info) == 0, info.st_size > 0 { capacity = Int(info.st_size) + 1 }
        }
        var bytes: [UInt8] = []
        while true {
            var ended = false
            let start = bytes.count
            let chunk = try [UInt8](unsafeUninitializedCapacity: capacity) { buffer, filled in
                filled = 0
                while filled < buffer.count {
                    let count = read(fd, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
                    if count == 0 { ended = true; return }
                    if count < 0 {
                        let code = errno
                        if code == EINTR { continue }
                        throw ProviderError.posix("read", path: path, errno: code)
                    }
                    filled += count
                    if start == 0, filled == expectedSize, filled < buffer.count { ended = true; return }
                }
            }
            if start == 0 { bytes = chunk } else { bytes += chunk }
            if ended { return bytes }
            capacity = 64 * 1024
        }
    }

    /// Creates `path` and its missing parents; parents get mode 0755 (less the umask).
    static func makeDirectories(_ path: String, mode: FileMode = FileMode(bits: 0o755)) throws {
        if isDirectory(path) { return }
        let parent = LocalPath.parent(of: path)
        if parent != path, !isDirectory(parent) {
            try makeDirectories(parent)
        }
        guard mkdir(path, mode_t(mode.bits)) == 0 else {
            let code = errno
            if code == EEXIST, isDirectory(path) { return }
            throw ProviderError.posix("create directory", path: path, errno: code)
        }
    }

    /// Writes `bytes` to `path` atomically: a temporary file in the same directory, its mode and
    /// owner set, then rename over `path`. The temporary file is removed on failure. With `durable`,
    /// the file and its directory are fsynced too, so the write also survives a power loss.
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: FileMode, owner: UInt32?, group: UInt32?,
                                durable: Bool) throws {
        let (temporary, fd) = try makeTemporaryFile(beside: path)
        do {
            try writeAll(bytes, to: fd, path: temporary)
            guard fchmod(fd, mode_t(mode.bits)) == 0 else { throw ProviderError.posix("set mode of", path: path, errno: errno) }
            if owner != nil || group != nil {
                guard fchown(fd, owner.map { uid_t($0) } ?? uid_t.max, group.map { gid_t($0) } ?? gid_t.max) == 0 else {
                    throw ProviderError.posix("change owner of", path: path, errno: errno)
                }
            }
            if durable {
                guard fsync(fd) == 0 else { throw ProviderError.posix("sync", path: temporary, errno: errno) }
            }
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw ProviderError.posix("replace", path: path, errno: code)
        }
        if durable { syncDirectory(LocalPath.parent(of: path)) }
    }

    /// Points a symlink at `path` to `target`, replacing an existing link atomically.
    static func linkAtomically(_ path: String, to target: String, durable: Bool) throws {
        var temporary = ""
        for _ in 0..<16 {
            temporary = TemporaryFile.path(beside: path)
            if symlink(target, temporary) == 0 { break }
            let code = errno
            if code != EEXIST { throw ProviderError.posix("create symlink", path: path, errno: code) }
            temporary = ""
        }
        guard !temporary.isEmpty else {
            throw ProviderError(.failed, "cannot create symlink \(path): no free temporary name")
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw ProviderError.posix("replace", path: path, errno: code)
        }
        if durable { syncDirectory(LocalPath.parent(of: path)) }
    }

    /// The target of the symlink at `path`; nil when it is gone.
    static func readLink(_ path: String) throws -> String? {
        var capacity = 1024
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let count = buffer.withUnsafeMutableBufferPointer { pointer -> Int in
                guard let base = pointer.baseAddress else { return -1 }
                return readlink(path, base, pointer.count)
            }
            if count < 0 {
                let code = errno
                if code == ENOENT || code == EINVAL { return nil }
                throw ProviderError.posix("read symlink", path: path, errno: code)
            }
            if count < capacity {
                return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            capacity *= 4
        }
    }

    /// Sets permission bits, following symlinks.
    static func setMode(_ mode: FileMode, of path: String) throws {
        guard chmod(path, mode_t(mode.bits)) == 0 else { throw ProviderError.posix("set mode of", path: path, errno: errno) }
    }

    /// Changes owner and group; nil leaves one unchanged.
    static func setOwner(_ owner: UInt32?, group: UInt32?, of path: String) throws {
        guard owner != nil || group != nil else { return }
        guard chown(path, owner.map { uid_t($0) } ?? uid_t.max, group.map { gid_t($0) } ?? gid_t.max) == 0 else {
            throw ProviderError.posix("change owner of", path: path, errno: errno)
        }
    }

    /// Removes a file or symlink; succeeds when it is already gone.
    static func removeFile(_ path: String) throws {
        guard unlink(path) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw ProviderError.posix("remove", path: path, errno: code)
        }
    }

    /// Removes an empty directory; succeeds when it is already gone.
    static func removeDirectory(_ path: String) throws {
        guard rmdir(path) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw ProviderError.posix("remove directory", path: path, errno: code)
        }
    }

    /// The names in a directory, without `.` and `..`.
    static func entries(of path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw ProviderError.posix("list", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    // MARK: - Helpers

    private static func makeTemporaryFile(beside path: String) throws -> (String, Int32) {
        for _ in 0..<16 {
            let temporary = TemporaryFile.path(beside: path)
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
            if fd >= 0 { return (temporary, fd) }
            let code = errno
            if code != EEXIST { throw ProviderError.posix("write", path: path, errno: code) }
        }
        throw ProviderError(.failed, "cannot write \(path): no free temporary name")
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw ProviderError.posix("write", path: path, errno: code)
            }
            offset += written
        }
    }

    /// Flushes a directory entry change; best effort, as some file systems refuse it.
    private static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
