import Foundation
import Synchronization

/// Reads one answer from stdin without holding up cancellation: a signal that cancels the waiting task makes the
/// answer nil at once, though the read itself goes on in its own thread until the process exits.
enum Prompt {
    static func readAnswer() async -> String? {
        let slot = AnswerSlot()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                slot.wait(with: continuation)
                Thread.detachNewThread { slot.answer(readLine()) }
            }
        } onCancel: {
            slot.answer(nil)
        }
    }

    /// The continuation waiting for the answer; resumed once, by the read or by cancellation, whichever is first.
    private final class AnswerSlot: Sendable {
        private let state = Mutex<(waiting: CheckedContinuation<String?, Never>?, early: String??)>((nil, nil))

        func wait(with continuation: CheckedContinuation<String?, Never>) {
            let early = state.withLock { state -> String?? in
                guard let early = state.early else {
                    state.waiting = continuation
                    return nil
                }
                return early
            }
            if let early { continuation.resume(returning: early) }
        }

        func answer(_ line: String?) {
            let waiting = state.withLock { state -> CheckedContinuation<String?, Never>? in
                guard state.early == nil else { return nil }
                state.early = .some(line)
                defer { state.waiting = nil }
                return state.waiting
            }
            waiting?.resume(returning: line)
        }
    }
}
