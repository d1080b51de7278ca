import Foundation
import ProviderKit
import TendModel

/// The engine's side of the create contract, for provider tests (the engine itself lives in TendEngine):
///
/// - create; a transient error that says `wasNotSent` means nothing happened: create again;
/// - any other transient error leaves the outcome unknown: `recover` first (retrying its transient errors). An
///   object found is adopted, and updated when its declared attributes differ from the planned ones; nil means
///   certainly absent: create again;
/// - a terminal error ends it. Attempts are bounded.
///
/// Every error seen on the way is kept, so a test can assert which ones never happened.
final class ContractDriver: @unchecked Sendable {
    let provider: any ResourceProvider
    let context: ProviderContext
    let maxAttempts: Int
    private let lock = NSLock()
    private var seen: [ProviderError] = []

    init(provider: any ResourceProvider, context: ProviderContext, maxAttempts: Int = 10) {
        self.provider = provider
        self.context = context
        self.maxAttempts = maxAttempts
    }

    /// Every ProviderError an operation threw and the driver retried or resolved.
    var errors: [ProviderError] {
        lock.withLock { seen }
    }

    /// Creates as the engine does.
    func create(_ type: String, _ address: ResourceAddress, _ desired: [String: Value]) async throws -> CreatedObject {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await provider.create(type: type, address: address, desired: desired, context: context)
            } catch let error as ProviderError where error.isTransient && attempt < maxAttempts {
                note(error)
                try await pause(attempt)
                if error.wasNotSent { continue }
                let found = try await retrying {
                    try await self.provider.recover(type: type, address: address, desired: desired, context: self.context)
                }
                guard let found else { continue }
                if desired.allSatisfy({ found.attributes[$0.key] == $0.value }) { return found }
                let after = try await retrying {
                    try await self.provider.update(type: type, id: found.id, current: found.attributes, desired: desired, context: self.context)
                }
                return CreatedObject(id: found.id, attributes: after)
            }
        }
    }

    /// Runs a read or an update (both safe to repeat), retrying transient errors.
    func retrying<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await operation()
            } catch let error as ProviderError where error.isTransient && attempt < maxAttempts {
                note(error)
                try await pause(attempt)
            }
        }
    }

    private func note(_ error: ProviderError) {
        lock.withLock { seen.append(error) }
    }

    private func pause(_ attempt: Int) async throws {
        try await Task.sleep(nanoseconds: UInt64(min(attempt, 4)) * 20_000_000)
    }
}
