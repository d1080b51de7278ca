import Foundation

/// Where a run's time goes, phase by phase: with `TEND_PROFILE=1` in the environment, tend prints to stderr the
/// wall-clock time from process start to each marked point and the time since the previous mark, plus the resident
/// set at that point, the CPU time (user and system, every thread) the process spent since the previous mark, so a
/// phase that leaves a core idle shows as CPU time below twice its wall time on two cores, and the page faults since
/// the previous mark (each a page of memory touched for the first time, or given back and touched again). Off (one environment read at first use, then a flag test per mark) otherwise.
public enum PhaseProfile {
    private static let enabled: Bool = ProcessInfo.processInfo.environment["TEND_PROFILE"].map { $0 == "1" } ?? false
    private static let state = Mutex()

    /// Records that the phase named `label` ended now.
    public static func mark(_ label: @autoclosure () -> String) {
        guard enabled else { return }
        let now = monotonicSeconds()
        let (cpu, faults) = usage()
        let text = label()
        let line = state.withLock { last -> String in
            let sinceStart = now - processStart
            let delta = now - (last?.wall ?? processStart)
            let spent = cpu - (last?.cpu ?? 0)
            let faulted = faults - (last?.faults ?? 0)
            last = (now, cpu, faults)
            return String(format: "profile %8.1f ms  +%7.1f ms  cpu +%7.1f ms  faults +%6d  rss %6.1f MiB  %@\n",
                          sinceStart * 1000, delta * 1000, spent * 1000, faulted, residentMiB(), text)
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// When the process started, from /proc/self/stat (field 22, clock ticks since boot), against the boot-based
    /// monotonic clock; the first mark's time when that cannot be read.
    private static let processStart: Double = {
        let fallback = monotonicSeconds()
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),   // no /proc: fall back to now
              let close = stat.lastIndex(of: ")") else { return fallback }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Fields after the command name start at field 3; the start time is field 22.
        guard fields.count > 19, let ticks = Double(fields[19]) else { return fallback }
        var boot = timespec()
        clock_gettime(CLOCK_BOOTTIME, &boot)
        let bootNow = Double(boot.tv_sec) + Double(boot.tv_nsec) / 1e9
        let started = ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
        return fallback - (bootNow - started)
    }()

    /// User and system time of every thread of the process so far, and its page faults (minor and major).
    private static func usage() -> (cpu: Double, faults: Int) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return (seconds(usage.ru_utime) + seconds(usage.ru_stime), usage.ru_minflt + usage.ru_majflt)
    }

    private static func residentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }   // no /proc: 0
        let pages = status.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    private final class Mutex: @unchecked Sendable {   // guarded by `lock`
        private let lock = NSLock()
        private var last: (wall: Double, cpu: Double, faults: Int)?

        func withLock<T>(_ body: (inout (wall: Double, cpu: Double, faults: Int)?) -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body(&last)
        }
    }
}
