import Dispatch
import Foundation
import Synchronization

/// Turns the signals that end tend (SIGINT, SIGTERM, SIGHUP) and a stdout reader that went away (EPIPE) into
/// cancellation of the work running under it, so a command holding the state lock finishes the operations in
/// flight, records the run's outcome and releases the lock before it exits with 128 + the signal's number.
///
/// The first signal cancels; output that cannot be written stops holding anything up (`Terminal.
/// abandonBlockedWrites()`). A second signal exits at once: the lock stays behind, and the next tend run on this
/// host breaks it, as its holder is gone.
final class SignalTrap: Sendable {
    /// The signals that end tend and that a trap handles.
    static let endingSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private let terminal: Terminal
    private let state = Mutex<State>(State())

    private struct State {
        var received: Int32?
        var cancel: (@Sendable () -> Void)?
    }

    init(terminal: Terminal) {
        self.terminal = terminal
    }

    /// The first signal received (SIGPIPE for a stdout reader that went away); nil when none was.
    var receivedSignal: Int32? { state.withLock { $0.received } }

    /// Runs `body` in a task that the ending signals cancel, with them caught until it returns.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let sources = Self.endingSignals.map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in receive(number) }
            source.resume()
            return source
        }
        terminal.standardOutput.onBroken { [self] in receive(SIGPIPE) }
        defer {
            terminal.standardOutput.onBroken(nil)
            for source in sources { source.cancel() }
            for number in Self.endingSignals { signal(number, SIG_DFL) }
        }
        let task = Task { try await body() }
        let cancelNow = state.withLock { state -> Bool in
            state.cancel = { task.cancel() }
            return state.received != nil
        }
        if cancelNow { task.cancel() }
        defer { state.withLock { $0.cancel = nil } }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// The first signal cancels the work; a second one exits at once.
    private func receive(_ number: Int32) {
        let (isFirst, cancel) = state.withLock { state -> (Bool, (@Sendable () -> Void)?) in
            guard state.received == nil else { return (false, nil) }
            state.received = number
            return (true, state.cancel)
        }
        terminal.abandonBlockedWrites()
        guard isFirst else {
            terminal.error("Interrupted again (\(Self.name(of: number))): exiting now. The state lock stays until the "
                           + "next tend run here finds its holder gone and breaks it.")
            _exit(128 + number)
        }
        let reason = number == SIGPIPE ? "the reader of tend's output went away" : "interrupted by \(Self.name(of: number))"
        terminal.error("\(reason.prefix(1).uppercased() + reason.dropFirst()): finishing the operations in flight, "
                       + "then releasing the state lock. State stays consistent.")
        cancel?()
    }

    /// `SIGINT`, `SIGTERM`, `SIGHUP`, `SIGPIPE`.
    static func name(of number: Int32) -> String {
        switch number {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        case SIGPIPE: return "SIGPIPE"
        default: return "signal \(number)"
        }
    }
}
