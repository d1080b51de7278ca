import Foundation
import TendModel
import TendState
import Testing

/// The checks of the edits made by hand (move, forget, accept drift), each one transaction.
extension StateStoreBehaviour {
    static let edits: [Check] = [
        Check("movesARecordInOneStepWithTheSerialAndAudit") {
            try movesARecordInOneStepWithTheSerialAndAudit($0.open())
        },
        Check("refusesAMoveOntoAnExistingAddressOrFromAMissingOneAndWritesNothing") {
            try refusesAMoveOntoAnExistingAddressOrFromAMissingOneAndWritesNothing($0.open())
        },
        Check("forgetsARecordInOneStepWithTheSerialAndAudit") {
            try forgetsARecordInOneStepWithTheSerialAndAudit($0.open())
        },
        Check("acceptsDriftInOneStep") { try acceptsDriftInOneStep($0.open()) },
        Check("refusesToAcceptAResourceNotInStateAndWritesNothing") {
            try refusesToAcceptAResourceNotInStateAndWritesNothing($0.open())
        },
    ]

    static func movesARecordInOneStepWithTheSerialAndAudit(_ store: any StateStore) throws {
        let before = try store.initialize()
        try store.put(StateSample.record(web), history: nil)

        let version = try store.move(from: web, to: app, audit: audit("state mv"))

        #expect(version.serial == before.serial + 1)
        #expect(try store.version() == version)
        #expect(try store.resource(web) == nil)
        var moved = StateSample.record(web)
        moved.address = app
        #expect(try store.resource(app) == moved)
        #expect(try store.auditLog().map(\.action) == ["state mv"])
    }

    static func refusesAMoveOntoAnExistingAddressOrFromAMissingOneAndWritesNothing(_ store: any StateStore) throws {
        let before = try store.initialize()
        try store.put(StateSample.record(web), history: nil)
        try store.put(StateSample.record(app), history: nil)

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

    static func forgetsARecordInOneStepWithTheSerialAndAudit(_ store: any StateStore) throws {
        let before = try store.initialize()
        try store.put(StateSample.record(web), history: nil)

        let missing = #expect(throws: StateError.self) { try store.forget(app, audit: audit("state rm")) }
        #expect(missing?.code == .notFound)
        #expect(try store.version() == before)

        #expect(try store.forget(web, audit: audit("state rm")).serial == before.serial + 1)
        #expect(try store.resources().isEmpty)
        #expect(try store.auditLog().map(\.action) == ["state rm"])
    }

    static func acceptsDriftInOneStep(_ store: any StateStore) throws {
        let before = try store.initialize()
        try store.put(StateSample.record(web), history: nil)
        let driftRun = try store.beginRun(kind: "drift", at: StateSample.date, actor: StateSample.actor)
        _ = try store.recordDrift(runID: driftRun, findings: [
            ObservedFinding(address: "web", type: "local_file", kind: .changed, path: "content",
                            expected: .string("old"), actual: .string("new")),
            ObservedFinding(address: "app", type: "local_file", kind: .missing),
        ], scope: ["web", "app"], at: StateSample.date)
        var observed = StateSample.record(web)
        observed.attributes["content"] = .string("new")
        let at = StateSample.date.addingTimeInterval(60)

        let resolved = try store.accept(DriftAcceptance(record: observed, before: ["content": .string("old")],
                                                        after: ["content": .string("new")], audit: audit("drift accept"), at: at))

        #expect(resolved.map(\.path) == ["content"])
        #expect(resolved.allSatisfy { $0.resolution == .accepted && $0.resolvedAt == at })
        #expect(try store.resource(web) == observed)
        let version = try #require(try store.version())
        #expect(version.serial == before.serial + 1)
        let run = try #require(try store.runs(limit: 1).first)
        #expect(run.kind == "drift-accept" && run.outcome == "succeeded" && run.finishedAt == at && run.counts == ["accepted": 1])
        #expect(run.actor == audit("drift accept").who, "the acceptance run names who accepted, as its audit row does")
        let history = try #require(try store.history(address: web, limit: 0).first)
        #expect(history.action == "accept" && history.serial == version.serial && history.runID == run.id)
        #expect(try store.auditLog().map(\.action) == ["drift accept"])
        let open = try store.driftFindings(address: nil, since: nil).filter { $0.resolution == nil }
        #expect(open.map(\.address) == ["app"], "other resources' findings stay open")
    }

    static func refusesToAcceptAResourceNotInStateAndWritesNothing(_ store: any StateStore) throws {
        let before = try store.initialize()
        let error = #expect(throws: StateError.self) {
            try store.accept(DriftAcceptance(record: StateSample.record(web), before: nil, after: nil,
                                             audit: audit("drift accept"), at: StateSample.date))
        }
        #expect(error?.code == .notFound)
        #expect(try store.version() == before)
        #expect(try store.runs(limit: 0).isEmpty)
        #expect(try store.auditLog().isEmpty)
    }

    private static func audit(_ action: String) -> AuditDraft {
        AuditDraft(who: "alice@laptop", action: action, target: "web", result: "ok", at: StateSample.date)
    }
}
