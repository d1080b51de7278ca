import Foundation

/// Plugin processes still running, so that none outlives tend: each run stops its plugins (go-plugin's Shutdown),
/// and whatever a failed command left behind is killed when tend exits (`atexit`). Process-wide by nature: an exit
/// handler cannot be handed state.
enum RunningPlugins {
    private static let table = PIDTable()

    static func add(_ pid: Int32) {
        table.add(pid)
    }

    static func remove(_ pid: Int32) {
        table.remove(pid)
    }

    /// Kills every plugin still running; called at exit.
    static func killAll() {
        for pid in table.drain() { kill(pid, SIGKILL) }
    }
}

private final class PIDTable: @unchecked Sendable {
    private let lock = NSLock()
    private var pids: Set<Int32> = []
    private var installed = false

    func add(_ pid: Int32) {
        let install = lock.withLock { () -> Bool in
            pids.insert(pid)
            defer { installed = true }
            return !installed
        }
        if install { atexit { RunningPlugins.killAll() } }
    }

    func remove(_ pid: Int32) {
        _ = lock.withLock { pids.remove(pid) }
    }

    func drain() -> [Int32] {
        lock.withLock {
            defer { pids = [] }
            return Array(pids)
        }
    }
}
