#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TendModel

/// The temporary files atomic writes go through, `.NAME.tend-PID-HEX` beside their target, and the removal of
/// those a killed writer left behind.
///
/// A temporary file is tend's own only when its name matches exactly: a dot, the target's name, `.tend-`, the
/// writer's pid in decimal, `-`, and 1 to 16 lowercase hex digits (names without the pid, `.NAME.tend-HEX`, were
/// written by tend before 0.2). Nothing else in a directory is ever touched.
///
/// A temporary file is stale, and removed, when its writer is certainly gone: no process has its pid, or the
/// process under that pid started after the file was last written (the pid was reused). A file of this process, or
/// of a live process that may be its writer, is kept: it may be a write in flight. An old-style name carries no
/// pid, so it is stale only once it is older than `legacyStaleAge` seconds, far longer than any write takes.
enum TemporaryFile {
    /// How old an old-style temporary file (no pid in its name) must be before it counts as stale.
    static let legacyStaleAge: Double = 300

    /// What a temporary file's name says about it.
    struct Name: Sendable, Hashable {
        /// The name of the file it was going to replace.
        var target: String
        /// The writer's pid; nil in old-style names.
        var pid: Int32?
    }

    /// A fresh temporary path beside `path`, naming this process as its writer.
    static func path(beside path: String) -> String {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return LocalPath.parent(of: path) + "/." + LocalPath.lastComponent(of: path) + ".tend-\(getpid())-" + suffix
    }

    /// Parses a directory entry's name; nil unless it is exactly one of tend's temporary names.
    static func parse(_ entry: String) -> Name? {
        guard entry.hasPrefix("."), let marker = entry.range(of: ".tend-", options: .backwards) else { return nil }
        let target = entry[entry.index(after: entry.startIndex)..<marker.lowerBound]
        guard !target.isEmpty else { return nil }
        let parts = entry[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1 where isHex(parts[0]):
            return Name(target: String(target), pid: nil)
        case 2 where isHex(parts[1]) && isDecimal(parts[0]):
            guard let pid = Int32(parts[0]), pid > 0 else { return nil }
            return Name(target: String(target), pid: pid)
        default:
            return nil
        }
    }

    /// Removes the stale temporary files in `directory` and returns their names; a missing or unreadable directory
    /// has none. Best effort: a file that cannot be removed stays (and a later delete of the directory says so).
    @discardableResult
    static func removeStale(in directory: String, now: Double = currentTime()) -> [String] {
        guard let entries = try? FileSystem.entries(of: directory) else { return [] }   // nothing to clean there
        var removed: [String] = []
        for entry in entries {
            guard let name = parse(entry) else { continue }
            let path = directory + "/" + entry
            guard let modified = modificationTime(of: path), isStale(name, modified: modified, now: now) else { continue }
            if unlink(path) == 0 { removed.append(entry) }
        }
        return removed
    }

    /// Whether a temporary file named `name`, last written at `modified`, was left by a writer that is gone.
    static func isStale(_ name: Name, modified: Double, now: Double) -> Bool {
        guard let pid = name.pid else { return now - modified > legacyStaleAge }
        if pid == getpid() { return false }
        if !LocalProcess.isRunning(pid: pid) { return true }
        // The writer started before it wrote the file; a process that started later only reuses its pid. The
        // margin covers start times known to about a second.
        guard let started = LocalProcess.startTime(pid: pid) else { return false }
        return started > modified + 2
    }

    /// The current time in seconds since 1970.
    static func currentTime() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// When the object at `path` (not following a symlink) was last modified, in seconds since 1970.
    private static func modificationTime(of path: String) -> Double? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private static func isHex(_ text: Substring) -> Bool {
        !text.isEmpty && text.count <= 16 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private static func isDecimal(_ text: Substring) -> Bool {
        !text.isEmpty && text.count <= 10 && text.utf8.allSatisfy { (48...57).contains($0) }
    }
}
