import Foundation

/// Holds large values a one-shot command would otherwise free just before the process exits.
///
/// Freeing the records, observations and configuration of ten thousand resources one by one takes longer than
/// the rest of a no-op plan's bookkeeping, and the operating system reclaims the memory at exit anyway (compilers
/// skip the same work for the same reason). Off by default: long-running processes (`tend watch`) and tests never
/// enable it, so for them nothing is kept.
public final class ExitRetainer: @unchecked Sendable {
    /// The process-wide retainer.
    public static let shared = ExitRetainer()

    private let lock = NSLock()
    private var enabled = false
    private var kept: [Any] = []

    /// Turns keeping on for the rest of the process; call only from a command that exits when it is done.
    public func enable() {
        lock.withLock { enabled = true }
    }

    /// Keeps `value` alive until the process exits when enabled; otherwise does nothing.
    public func keep(_ value: Any) {
        lock.withLock { if enabled { kept.append(value) } }
    }
}
