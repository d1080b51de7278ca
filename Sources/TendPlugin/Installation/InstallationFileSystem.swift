#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says about a path, following symlinks: enough to tell kinds apart and to notice a changed file.
struct InstallationFileStatus: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case regular, directory, other
    }

    var kind: Kind
    /// Permission bits.
    var mode: UInt32
    var size: Int64
    var modifiedNanoseconds: Int64
    var changedNanoseconds: Int64
    var inode: UInt64
    var device: UInt64

    /// Whether any execute bit is set on a regular file.
    var isExecutableFile: Bool { kind == .regular && mode & 0o111 != 0 }
}

/// The POSIX calls finding and locking providers needs, throwing `.io` errors that name the path.
enum InstallationFileSystem {
    /// The status of what `path` names, following symlinks; nil when nothing (or a dangling link) is there.
    static func status(at path: String) -> InstallationFileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return makeStatus(info)
    }

    /// The status of an open file.
    static func status(of descriptor: Int32) -> InstallationFileStatus? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return makeStatus(info)
    }

    private static func makeStatus(_ info: stat) -> InstallationFileStatus {
        let mode = UInt32(info.st_mode)
        let kind: InstallationFileStatus.Kind
        switch mode & 0o170000 {
        case 0o100000: kind = .regular
        case 0o040000: kind = .directory
        default: kind = .other
        }
        #if canImport(Darwin)
        let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        let changed = Int64(info.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(info.st_ctimespec.tv_nsec)
        #else
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        #endif
        return InstallationFileStatus(kind: kind, mode: mode & 0o7777, size: Int64(info.st_size),
                                      modifiedNanoseconds: modified, changedNanoseconds: changed,
                                      inode: UInt64(info.st_ino), device: UInt64(info.st_dev))
    }

    /// The names in a directory, sorted, without `.` and `..`; nil when it is missing, not a directory or unreadable.
    static func entries(of directory: String) -> [String]? {
        guard let stream = opendir(directory) else { return nil }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// A whole file's bytes; nil when it does not exist.
    static func readFile(at path: String) throws -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw ioError("open", path, code)
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw ioError("read", path, code)
            }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    /// Replaces `path` with `bytes` all at once: written to a temporary file beside it, flushed, renamed over it.
    /// A reader sees the old content or the new, never part of either.
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let temporary = (directory.isEmpty ? "" : directory) + "/.\(name).tend-\(getpid())-\(suffix)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw ioError("create", temporary, errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress.map { $0 + written }, bytes.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let code = errno
                close(descriptor)
                unlink(temporary)
                throw ioError("write", temporary, code)
            }
            written += count
        }
        let synced = fsync(descriptor) == 0
        let syncError = errno
        close(descriptor)
        guard synced else {
            unlink(temporary)
            throw ioError("flush", temporary, syncError)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw ioError("replace", path, code)
        }
        // Best effort: flush the directory so the rename survives a crash too.
        let directoryDescriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Creates `directory` and its missing parents (mode 0755 less the umask).
    static func makeDirectories(_ directory: String) throws {
        if status(at: directory)?.kind == .directory { return }
        let parent = InstallationPath.parent(of: directory)
        if parent != directory { try makeDirectories(parent) }
        guard mkdir(directory, 0o755) == 0 || errno == EEXIST else { throw ioError("create directory", directory, errno) }
    }

    static func ioError(_ action: String, _ path: String, _ code: Int32) -> ProviderInstallationError {
        let reason = String(cString: strerror(code))
        return ProviderInstallationError(.io, "cannot \(action) \(path): \(reason)")
    }
}
