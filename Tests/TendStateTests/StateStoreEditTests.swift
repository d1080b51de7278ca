import Foundation
import TendModel
import TendState
import Testing

/// The stack id and the edits made by hand, run against each store.
@Suite struct StateStoreEditTests {
    private let web = ResourceAddress(name: "web")
    private let app = ResourceAddress(name: "app")

    private func audit(_ action: String) -> AuditDraft {
        AuditDraft(who: "alice@laptop", action: action, target: "web", result: "ok", at: Sample.date)
    }

    @Test(arguments: StoreKind.allCases)
    func createsAStackIDWithTheStateAndKeepsIt(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        #expect(try store.stackID() == nil)

        let version = try store.initialize()
        let id = try #require(try store.stackID())
        #expect(!id.isEmpty && id != version.lineage)
        _ = try store.initialize()
        _ = try store.advanceSerial(from: try store.version())
        #expect(try store.stackID() == id)
    }

    @Test(arguments: StoreKind.allCases)
    func recordsAGivenStackIDCreatingTheStateOrReplacingTheOldOne(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)

        let created = try store.recordStackID("proposed-by-plan")
        #expect(created.serial == 0)
        #expect(try store.version() == created)
        #expect(try store.stackID() == "proposed-by-plan")

        #expect(try store.recordStackID("declared") == created, "recording an id bumps nothing")
        #expect(try store.stackID() == "declared")
    }

    @Test(arguments: StoreKind.allCases)
    func movesARecordInOneStepWithTheSerialAndAudit(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let before = try store.initialize()
        try store.put(Sample.record(web), history: nil)

        let version = try store.move(from: web, to: app, audit: audit("state mv"))

        #expect(version.serial == before.serial + 1)
        #expect(try store.version() == version)
        #expect(try store.resource(web) == nil)
        var moved = Sample.record(web)
        moved.address = app
        #expect(try store.resource(app) == moved)
        #expect(try store.auditLog().map(\.action) == ["state mv"])
    }

    @Test(arguments: StoreKind.allCases)
    func refusesAMoveOntoAnExistingAddressOrFromAMissingOneAndWritesNothing(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let before = try store.initialize()
        try store.put(Sample.record(web), history: nil)
        try store.put(Sample.record(app), history: nil)

        let conflict = #expect(throws: StateError.self) { try store.move(from: web, to: app, audit: audit("state mv")) }
        #expect(conflict?.code == .conflict)
        let missing = #expect(throws: StateError.self) {
            try store.move(from: ResourceAddress(name: "gone"), to: ResourceAddress(name: "new"), audit: audit("state mv"))
        }
        #expect(missing?.code == .notFound)

        #expect(try store.version() == before)
        #expect(try store.resources().map(\.address) == [app, web])
        #expect(try store.auditLog().isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func forgetsARecordInOneStepWithTheSerialAndAudit(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let before = try store.initialize()
        try store.put(Sample.record(web), history: nil)

        let missing = #expect(throws: StateError.self) { try store.forget(app, audit: audit("state rm")) }
        #expect(missing?.code == .notFound)
        #expect(try store.version() == before)

        #expect(try store.forget(web, audit: audit("state rm")).serial == before.serial + 1)
        #expect(try store.resources().isEmpty)
        #expect(try store.auditLog().map(\.action) == ["state rm"])
    }

    @Test(arguments: StoreKind.allCases)
    func acceptsDriftInOneStep(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let before = try store.initialize()
        try store.put(Sample.record(web), history: nil)
        let driftRun = try store.beginRun(kind: "drift", at: Sample.date)
        _ = try store.recordDrift(runID: driftRun, findings: [
            ObservedFinding(address: "web", type: "local_file", kind: .changed, path: "content",
                            expected: .string("old"), actual: .string("new")),
            ObservedFinding(address: "app", type: "local_file", kind: .missing),
        ], scope: ["web", "app"], at: Sample.date)
        var observed = Sample.record(web)
        observed.attributes["content"] = .string("new")
        let at = Sample.date.addingTimeInterval(60)

        let resolved = try store.accept(DriftAcceptance(record: observed, before: ["content": .string("old")],
                                                        after: ["content": .string("new")], audit: audit("drift accept"), at: at))

        #expect(resolved.map(\.path) == ["content"])
        #expect(resolved.allSatisfy { $0.resolution == .accepted && $0.resolvedAt == at })
        #expect(try store.resource(web) == observed)
        let version = try #require(try store.version())
        #expect(version.serial == before.serial + 1)
        let run = try #require(try store.runs(limit: 1).first)
        #expect(run.kind == "drift-accept" && run.outcome == "succeeded" && run.finishedAt == at && run.counts == ["accepted": 1])
        let history = try #require(try store.history(address: web, limit: 0).first)
        #expect(history.action == "accept" && history.serial == version.serial && history.runID == run.id)
        #expect(try store.auditLog().map(\.action) == ["drift accept"])
        let open = try store.driftFindings(address: nil, since: nil).filter { $0.resolution == nil }
        #expect(open.map(\.address) == ["app"], "other resources' findings stay open")
    }

    @Test(arguments: StoreKind.allCases)
    func refusesToAcceptAResourceNotInStateAndWritesNothing(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        let before = try store.initialize()
        let error = #expect(throws: StateError.self) {
            try store.accept(DriftAcceptance(record: Sample.record(web), before: nil, after: nil,
                                             audit: audit("drift accept"), at: Sample.date))
        }
        #expect(error?.code == .notFound)
        #expect(try store.version() == before)
        #expect(try store.runs(limit: 0).isEmpty)
        #expect(try store.auditLog().isEmpty)
    }
}
