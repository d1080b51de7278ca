import Foundation
import TendModel

/// Facts about the machine tend runs on, used to tell a live lock holder from a stale one.
public enum LocalHost {
    /// This machine's host name, as `gethostname(2)` reports it; write it into `LockInfo.host`.
    public static var name: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The operating-system user tend runs as: the password database's name for the effective uid (what `id -un`
    /// says, whatever the environment claims), else `$USER` or `$LOGNAME`, else `uid N`. Audit rows, history and locks
    /// name it.
    public static func userName(environment: [String: String]) -> String {
        let uid = geteuid()
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name, case let text = String(cString: name), !text.isEmpty {
            return text
        }
        if let name = environment["USER"] ?? environment["LOGNAME"], !name.isEmpty { return name }
        return "uid \(uid)"
    }

    /// Whether a process with this pid exists here; true when that cannot be told (pid ≤ 0, no permission).
    public static func isProcessRunning(pid: Int32) -> Bool {
        LocalProcess.isRunning(pid: pid)
    }
}
