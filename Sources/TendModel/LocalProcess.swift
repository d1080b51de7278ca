#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about processes on this machine, for telling whether the process that took a lock or wrote a temporary
/// file is still the one running under its pid.
///
/// A pid alone is not enough: after a crash the kernel may hand the same pid to an unrelated process. On Linux a
/// process is named by its pid, the kernel's boot id (`/proc/sys/kernel/random/boot_id`) and its start time in
/// clock ticks since boot (field 22 of `/proc/PID/stat`); together they never repeat. Where `/proc` is missing only
/// the pid is compared. It lives here, beside the other plain facts, because both the state lock (TendState) and
/// the local provider's temporary files use it and neither may import the other.
public enum LocalProcess {
    /// Whether a process with this pid exists; true when that cannot be told (pid ≤ 0, no permission to ask).
    public static func isRunning(pid: Int32) -> Bool {
        guard pid > 0 else { return true }
        if kill(pid, 0) == 0 { return true }
        return errno != ESRCH
    }

    /// The kernel's boot id: changes at every boot, so a process recorded under another one is gone. Nil off Linux.
    public static var bootID: String? {
        guard let text = readSmallFile("/proc/sys/kernel/random/boot_id") else { return nil }
        let trimmed = String(text.filter { !$0.isWhitespace })
        return trimmed.isEmpty ? nil : trimmed
    }

    /// When the process started, in clock ticks since boot (`/proc/PID/stat` field 22); nil when unknown.
    public static func startTicks(pid: Int32) -> UInt64? {
        guard pid > 0, let text = readSmallFile("/proc/\(pid)/stat"),
              let close = text.lastIndex(of: ")") else { return nil }
        // After the command name in parentheses: state is field 3, so starttime (22) is the 20th field here.
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    /// When the process started, in seconds since 1970; nil when unknown. Accurate to about a second (the boot
    /// time is kept in whole seconds).
    public static func startTime(pid: Int32) -> Double? {
        guard let ticks = startTicks(pid: pid), let boot = bootTime else { return nil }
        let perSecond = sysconf(Int32(_SC_CLK_TCK))
        guard perSecond > 0 else { return nil }
        return boot + Double(ticks) / Double(perSecond)
    }

    /// This process's identity, `BOOT_ID/START_TICKS`; nil where `/proc` cannot tell.
    public static var currentIdentity: String? {
        identity(pid: getpid())
    }

    /// The identity of the process running under `pid`, `BOOT_ID/START_TICKS`; nil when it cannot be told.
    public static func identity(pid: Int32) -> String? {
        guard let boot = bootID, let ticks = startTicks(pid: pid) else { return nil }
        return "\(boot)/\(ticks)"
    }

    /// Whether the process recorded as `pid` with `identity` (from `identity(pid:)` when it was recorded, nil when
    /// none was) is certainly gone: the machine rebooted since, no process has that pid, or the pid now belongs to
    /// a process that started at another time.
    public static func isGone(pid: Int32, identity recorded: String?) -> Bool {
        if let recorded, let boot = bootID, let slash = recorded.lastIndex(of: "/"),
           recorded[..<slash] != boot {
            return true
        }
        guard isRunning(pid: pid) else { return true }
        guard let recorded, let now = identity(pid: pid) else { return false }
        return recorded != now
    }

    /// The system's boot time in seconds since 1970 (`btime` in `/proc/stat`).
    private static var bootTime: Double? {
        guard let text = readSmallFile("/proc/stat") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingPrefix(" "))
        }
        return nil
    }

    /// The text of a small pseudo-file (at most 64 KiB); nil when it cannot be read.
    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65536 {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}
