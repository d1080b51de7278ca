import TendModel
import TendState

/// The state's resources, read on another thread while the configuration loads (neither needs the other).
/// `take()` hands them over once and drops the task, so no second copy stays alive while the plan runs.
final class StatePrefetch {
    private let store: any StateStore
    private var task: Task<[ResourceRecord], Error>?

    init(_ store: any StateStore) {
        self.store = store
        task = Task.detached { try store.resources() }
    }

    /// The prefetched resources; read again if they were taken already or the prefetch was cancelled.
    func take() async throws -> [ResourceRecord] {
        guard let task else { return try store.resources() }
        self.task = nil
        return try await task.value
    }

    func cancel() {
        task?.cancel()
        task = nil
    }
}
