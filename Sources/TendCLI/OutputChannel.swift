import Foundation
import Synchronization

/// One of tend's output streams (stdout or stderr), written with `write(2)` so that no write can hold tend hostage.
///
/// A plain write to a pipe nobody reads blocks forever, and with it whatever must happen next: releasing the state
/// lock after Ctrl-C, say. So a write waits for room with `poll(2)` and sends at most `PIPE_BUF` bytes at a time
/// (which a writable pipe takes without blocking). Normally it waits as long as the reader needs. Once tend is
/// interrupted (`abandonBlockedWrites()`), a write waits at most `abandonWait` seconds and then drops what is left,
/// and later writes send only what fits at once: output may be lost, the lock release and the run's outcome are
/// not. A reader that went away (EPIPE; SIGPIPE is ignored) marks the channel broken: later output is dropped and
/// `onBroken` runs once, so the command can stop as if interrupted.
final class OutputChannel: Sendable {
    /// How long a write waits for room once tend is interrupted.
    static let abandonWait: Double = 0.5
    private static let chunk = 4096

    let descriptor: Int32
    private let writing = Mutex<Void>(())
    private let flags = Mutex<Flags>(Flags())

    private struct Flags {
        var isAbandoning = false
        var isDropping = false
        var isBroken = false
        var onBroken: (@Sendable () -> Void)?
    }

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Whether the reader went away.
    var isBroken: Bool { flags.withLock { $0.isBroken } }

    /// Runs `handler` (once) when a write finds the reader gone; nil removes it.
    func onBroken(_ handler: (@Sendable () -> Void)?) {
        flags.withLock { $0.onBroken = handler }
    }

    /// From now on writes wait only briefly for room; a write blocked right now gives up within `abandonWait`.
    func abandonBlockedWrites() {
        flags.withLock { $0.isAbandoning = true }
    }

    /// Writes all of `bytes`, unless the channel is broken or abandoning (then what does not fit is dropped).
    func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        writing.withLock { _ in
            var offset = 0
            var giveUpAt: Double?
            while offset < bytes.count {
                let state = flags.withLock { $0 }
                if state.isBroken { return }
                if state.isAbandoning, giveUpAt == nil {
                    giveUpAt = Self.now() + (state.isDropping ? 0 : Self.abandonWait)
                }
                let wait: Int32 = giveUpAt == nil ? 100 : (state.isDropping ? 0 : 50)
                guard waitForRoom(milliseconds: wait) else {
                    if let giveUpAt, Self.now() >= giveUpAt {
                        flags.withLock { $0.isDropping = true }
                        return
                    }
                    continue
                }
                let count = min(Self.chunk, bytes.count - offset)
                let written = bytes.withUnsafeBytes { raw in
                    systemWrite(descriptor, raw.baseAddress.map { $0 + offset }, count)
                }
                if written >= 0 {
                    offset += written
                    continue
                }
                switch errno {
                case EINTR, EAGAIN: continue
                case EPIPE:
                    markBroken()
                    return
                default:
                    return   // an output error (disk full, closed descriptor): drop the output, keep running
                }
            }
        }
    }

    /// Whether the descriptor has room for a write within `milliseconds` (a descriptor poll cannot watch counts as
    /// having room; the write then says what is wrong).
    private func waitForRoom(milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&entry, 1, milliseconds)
        return ready != 0
    }

    private func markBroken() {
        let handler = flags.withLock { flags -> (@Sendable () -> Void)? in
            guard !flags.isBroken else { return nil }
            flags.isBroken = true
            return flags.onBroken
        }
        handler?()
    }

    private static func now() -> Double {
        Date().timeIntervalSince1970
    }
}

/// `write(2)`, named apart from `OutputChannel.write(_:)`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
