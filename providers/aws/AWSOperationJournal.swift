import Foundation
import ProviderKit

/// What the requests of one provider operation (a create, an update) did to AWS: whether any request that may
/// change something may have been carried out (answered 2xx or 5xx, timed out, or lost its connection after
/// sending). A multi-step create (CreateVpc, then ModifyVpcAttribute) whose later step fails without being sent
/// has still changed something, so its error must not say `wasNotSent`: the engine would take that as "nothing
/// was created" and forget the object.
///
/// The journal of the running operation is a task-local value, so concurrent operations on one shared session
/// each see their own.
final class AWSOperationJournal: @unchecked Sendable {
    @TaskLocal static var current: AWSOperationJournal?

    private let lock = NSLock()
    private var changed = false  // guarded by lock

    /// Notes that a request that may change something reached AWS and was (or may have been) carried out.
    func recordChange() {
        lock.withLock { changed = true }
    }

    /// Whether anything may have changed so far.
    var mayHaveChanged: Bool {
        lock.withLock { changed }
    }

    /// Runs one operation with a journal of its own, and makes its `ProviderError` say `wasNotSent` exactly when
    /// nothing the operation sent can have changed anything: false once a change may have been carried out (even if
    /// the failing request itself never left), true when every change was refused, throttled or never sent and only
    /// reads failed (a create that failed looking for an earlier copy of its object made nothing).
    static func run<T: Sendable>(_ operation: () async throws -> T) async throws -> T {
        let journal = AWSOperationJournal()
        do {
            return try await $current.withValue(journal) { try await operation() }
        } catch var error as ProviderError {
            error.wasNotSent = !journal.mayHaveChanged
            throw error
        }
    }
}
