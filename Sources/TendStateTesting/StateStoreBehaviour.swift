// The behaviour suite every state backend passes: a catalogue of named checks that runs unchanged against SQLite,
// the in-memory store and PostgreSQL (see `StateStoreBehaviour` for how a new backend runs it). It uses Swift
// Testing to report failures, so only test targets link it.

import TendModel
import TendState
import Testing

/// The behaviour every `StateStore` shares: named checks, each run on a new, empty state.
///
/// A new backend runs the whole suite with one parametrized test in its test target, giving each check a factory
/// whose every `open()` is a store on the same new, empty state:
///
/// ```swift
/// @Test(arguments: StateStoreBehaviour.checkNames)
/// func behavesLikeEveryStore(check: String) async throws {
///     let place = try MyBackend.makeEmptyState()          // new for each check
///     try await StateStoreBehaviour.run(check, on: StoreFactory(leased: { lease in
///         MyStateStore(at: place, leaseDuration: lease.duration, renewsLease: lease.renews)
///     }))
/// }
/// ```
///
/// Checks that need two stores on one state (two processes racing) call `open()` twice; the checks of leases open
/// stores with short leases (`open(lease:)`) and read tokens through `FencingTokenHolding`. A failed expectation is a
/// Swift Testing issue of the test that runs the check; the test's argument names the check.
public enum StateStoreBehaviour {
    /// One check of the suite.
    public struct Check: Sendable {
        /// What the check shows, as a behaviour name (`roundTripsRecords`).
        public let name: String
        let body: @Sendable (StoreFactory) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (StoreFactory) async throws -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Every check, in a fixed order; names are unique.
    public static let checks: [Check] = records + history + versions + locks + edits + leases

    /// The names of every check, for `@Test(arguments:)`.
    public static var checkNames: [String] {
        checks.map(\.name)
    }

    /// Runs the check named `name` on a new, empty state that `factory` opens; an unknown name is a test failure.
    public static func run(_ name: String, on factory: StoreFactory) async throws {
        guard let check = checks.first(where: { $0.name == name }) else {
            Issue.record("no behaviour check is named \(name)")
            return
        }
        try await check.body(factory)
    }

    static let web = ResourceAddress(name: "web")
    static let app = ResourceAddress(name: "app")
}
