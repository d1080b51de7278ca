import TendEngine
import TendModel
import TendState

/// The state's resources, read on another thread while the configuration loads (neither needs the other).
/// `take()` hands them over once and drops the task, so no second copy stays alive while the plan runs.
final class StatePrefetch {
    private let store: any StateStore
    private var task: Task<PrefetchedState, Error>?

    init(_ store: any StateStore) {
        self.store = store
        task = Task.detached {
            let version = try store.version()
            return PrefetchedState(version: version, records: try store.resources())
        }
    }

    /// The prefetched resources; read again if they were taken already or the prefetch was cancelled.
    func take() async throws -> [ResourceRecord] {
        try await takeState().records
    }

    /// The prefetched resources with the state version they were read at (nil: unknown, check again).
    func takeState() async throws -> PrefetchedState {
        guard let task else { return PrefetchedState(version: nil, records: try store.resources()) }
        self.task = nil
        return try await task.value
    }

    func cancel() {
        task?.cancel()
        task = nil
    }
}
