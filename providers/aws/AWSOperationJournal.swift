import Foundation
import ProviderKit

/// What the requests of one provider operation (a create, an update) did to AWS: whether any request that may
/// change something may have been carried out. A multi-step create (CreateVpc, then ModifyVpcAttribute) whose
/// later step fails without being sent has still changed something, so its error must not say `wasNotSent`:
/// the engine would take that as "nothing was created" and forget the object.
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

    /// Runs one operation with a journal of its own; a `ProviderError` that says `wasNotSent` after an earlier
    /// request of the operation may have changed something is rethrown without that claim.
    static func run<T: Sendable>(_ operation: () async throws -> T) async throws -> T {
        let journal = AWSOperationJournal()
        do {
            return try await $current.withValue(journal) { try await operation() }
        } catch var error as ProviderError where error.wasNotSent && journal.mayHaveChanged {
            error.wasNotSent = false
            throw error
        }
    }
}
