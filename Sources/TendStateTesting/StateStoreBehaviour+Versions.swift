import Foundation
import TendModel
import TendState
import Testing

/// The checks of the lineage, the serial (advanced by compare-and-swap) and the stack id.
extension StateStoreBehaviour {
    static let versions: [Check] = [
        Check("versionStartsNilThenInitializesOnceAndIncrements") {
            try versionStartsNilThenInitializesOnceAndIncrements($0.open())
        },
        Check("advancingANewStateFromNoStateCreatesItAtSerialOne") {
            try advancingANewStateFromNoStateCreatesItAtSerialOne($0.open())
        },
        Check("advancingFromAStaleVersionIsRefusedAndWritesNothing") {
            try advancingFromAStaleVersionIsRefusedAndWritesNothing($0.open())
        },
        Check("ofTwoStoresAdvancingFromTheSameVersionOnlyOneSucceeds") {
            try await ofTwoStoresAdvancingFromTheSameVersionOnlyOneSucceeds($0)
        },
        Check("createsAStackIDWithTheStateAndKeepsIt") { try createsAStackIDWithTheStateAndKeepsIt($0.open()) },
        Check("recordsAGivenStackIDCreatingTheStateOrReplacingTheOldOne") {
            try recordsAGivenStackIDCreatingTheStateOrReplacingTheOldOne($0.open())
        },
    ]

    static func versionStartsNilThenInitializesOnceAndIncrements(_ store: any StateStore) throws {
        #expect(try store.version() == nil)

        let first = try store.initialize()
        #expect(first.serial == 0)
        #expect(UUID(uuidString: first.lineage) != nil)
        #expect(try store.initialize() == first)

        #expect(try store.advanceSerial(from: first) == StateVersion(lineage: first.lineage, serial: 1))
        #expect(try store.advanceSerial(from: StateVersion(lineage: first.lineage, serial: 1))
                == StateVersion(lineage: first.lineage, serial: 2))
        #expect(try store.version() == StateVersion(lineage: first.lineage, serial: 2))
    }

    static func advancingANewStateFromNoStateCreatesItAtSerialOne(_ store: any StateStore) throws {
        let created = try store.advanceSerial(from: nil)
        #expect(created.serial == 1, "advancing from no state creates the state at serial 1")
        #expect(try store.version() == created)
        #expect(try store.stackID() != nil, "the created state has a stack id")
        let error = try #require(throws: StateError.self) { try store.advanceSerial(from: nil) }
        #expect(error.code == .stale, "advancing from no state once a state exists is refused")
        #expect(try store.version() == created, "a refused advance writes nothing")
    }

    static func advancingFromAStaleVersionIsRefusedAndWritesNothing(_ store: any StateStore) throws {
        let first = try store.initialize()
        let current = try store.advanceSerial(from: first)
        #expect(current == StateVersion(lineage: first.lineage, serial: 1), "advancing from the current version bumps it")

        let olderSerial = try #require(throws: StateError.self) { try store.advanceSerial(from: first) }
        #expect(olderSerial.code == .stale, "an older serial is refused")
        #expect(olderSerial.message.contains("serial 0") && olderSerial.message.contains("serial 1"),
                "the message names the serial expected and the one found")
        let otherLineage = StateVersion(lineage: "another-lineage", serial: 1)
        let lineageError = try #require(throws: StateError.self) { try store.advanceSerial(from: otherLineage) }
        #expect(lineageError.code == .stale, "another lineage at the same serial is refused")
        #expect(lineageError.message.contains("another-lineage") && lineageError.message.contains(first.lineage),
                "the message names the lineage expected and the one found")
        let newerSerial = try #require(throws: StateError.self) {
            try store.advanceSerial(from: StateVersion(lineage: first.lineage, serial: 5))
        }
        #expect(newerSerial.code == .stale, "a serial the state never reached is refused")
        #expect(try store.version() == current, "refused advances write nothing")
    }

    static func ofTwoStoresAdvancingFromTheSameVersionOnlyOneSucceeds(_ factory: StoreFactory) async throws {
        let (first, second) = (factory.open(), factory.open())
        _ = try first.initialize()
        let read = try #require(try second.version(), "the second store sees the state the first created")
        #expect(try first.version() == read)
        let outcomes = await withTaskGroup(of: Result<StateVersion, any Error>.self) { group in
            for store in [first, second] {
                group.addTask { Result { try store.advanceSerial(from: read) } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let advanced = outcomes.compactMap { try? $0.get() } // A refused advance is counted below, by its error.
        let refused = outcomes.compactMap { outcome -> StateError? in
            if case let .failure(error) = outcome { return error as? StateError }
            return nil
        }
        #expect(advanced == [StateVersion(lineage: read.lineage, serial: read.serial + 1)], "exactly one advance succeeds")
        #expect(refused.map(\.code) == [.stale], "the other is refused as stale")
        #expect(try first.version() == StateVersion(lineage: read.lineage, serial: read.serial + 1))
        #expect(try second.version() == StateVersion(lineage: read.lineage, serial: read.serial + 1))
    }

    static func createsAStackIDWithTheStateAndKeepsIt(_ store: any StateStore) throws {
        #expect(try store.stackID() == nil)

        let version = try store.initialize()
        let id = try #require(try store.stackID())
        #expect(!id.isEmpty && id != version.lineage)
        _ = try store.initialize()
        _ = try store.advanceSerial(from: try store.version())
        #expect(try store.stackID() == id)
    }

    static func recordsAGivenStackIDCreatingTheStateOrReplacingTheOldOne(_ store: any StateStore) throws {
        let created = try store.recordStackID("proposed-by-plan")
        #expect(created.serial == 0)
        #expect(try store.version() == created)
        #expect(try store.stackID() == "proposed-by-plan")

        #expect(try store.recordStackID("declared") == created, "recording an id bumps nothing")
        #expect(try store.stackID() == "declared")
    }
}
