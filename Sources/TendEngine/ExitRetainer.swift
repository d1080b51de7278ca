/// Keeps large values alive until a one-shot command's process exits, instead of freeing them just before.
///
/// Freeing the records, observations and configuration of ten thousand resources one by one takes longer than
/// the rest of a no-op plan's bookkeeping, and the operating system reclaims the memory at exit anyway (compilers
/// skip the same work for the same reason). The CLI passes an enabled retainer to the engine of a command that exits
/// when it is done; long-running processes (`tend watch`) and tests use `.disabled`, so for them nothing is kept.
/// A value type with no shared storage: each kept value is leaked on purpose, one reference at a time.
public struct ExitRetainer: Sendable {
    /// Whether `keep(_:)` keeps anything.
    public let isEnabled: Bool

    /// A retainer that keeps values when `isEnabled`.
    public init(isEnabled: Bool) {
        self.isEnabled = isEnabled
    }

    /// Keeps nothing.
    public static let disabled = ExitRetainer(isEnabled: false)

    /// Keeps `value` alive until the process exits when enabled; otherwise does nothing.
    public func keep(_ value: Any) {
        guard isEnabled else { return }
        _ = Unmanaged.passRetained(Kept(value))
    }

    /// The box a kept value lives in, never released.
    private final class Kept {
        let value: Any

        init(_ value: Any) {
            self.value = value
        }
    }
}
