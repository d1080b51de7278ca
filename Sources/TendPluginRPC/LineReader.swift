import Foundation

/// Reads a plugin's output pipes on dedicated threads, so blocking reads never hold a thread of Swift's
/// concurrency pool.
enum LineReader {
    enum FirstLine: Sendable {
        case line(String)
        case timedOut
        case closed
    }

    /// Calls `body` with each line read from `handle` until it is closed, on a thread of its own.
    static func drain(_ handle: FileHandle, name: String, body: @escaping @Sendable (String) -> Void,
                      onEnd: @escaping @Sendable () -> Void = {}) {
        let thread = Thread {
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    body(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
            }
            if !buffer.isEmpty { body(String(decoding: buffer, as: UTF8.self)) }
            onEnd()
        }
        thread.name = name
        thread.start()
    }

    /// The first line written to `handle` (then the rest is drained and dropped), or why there is none.
    static func firstLine(of handle: FileHandle, timeout: Double) async -> FirstLine {
        let box = FirstLineBox()
        return await withCheckedContinuation { continuation in
            box.set(continuation)
            let seen = SeenFlag()
            drain(handle, name: "tend-plugin-stdout", body: { line in
                guard seen.setFirst() else { return }
                box.resume(.line(line))
            }, onEnd: { box.resume(.closed) })
            let thread = Thread {
                Thread.sleep(forTimeInterval: timeout)
                box.resume(.timedOut)
            }
            thread.name = "tend-plugin-handshake-timer"
            thread.start()
        }
    }
}

/// Resumes a continuation once, whichever of the reader and the timer comes first.
private final class FirstLineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<LineReader.FirstLine, Never>?

    func set(_ continuation: CheckedContinuation<LineReader.FirstLine, Never>) {
        lock.withLock { self.continuation = continuation }
    }

    func resume(_ value: LineReader.FirstLine) {
        let pending = lock.withLock { () -> CheckedContinuation<LineReader.FirstLine, Never>? in
            defer { continuation = nil }
            return continuation
        }
        pending?.resume(returning: value)
    }
}

/// Whether the first line was seen; the drain's thread is the only writer, the lock keeps the checker honest.
private final class SeenFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var seen = false

    /// True the first time only.
    func setFirst() -> Bool {
        lock.withLock {
            defer { seen = true }
            return !seen
        }
    }
}
