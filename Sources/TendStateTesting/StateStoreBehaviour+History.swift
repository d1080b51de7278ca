import Foundation
import TendModel
import TendState
import Testing

/// The checks of history, runs and the audit chain.
extension StateStoreBehaviour {
    static let history: [Check] = [
        Check("historyIsNewestFirstFilteredAndLimited") { try historyIsNewestFirstFilteredAndLimited($0.open()) },
        Check("runsBeginAndFinishNewestFirst") { try runsBeginAndFinishNewestFirst($0.open()) },
        Check("auditLogChainsHashes") { try auditLogChainsHashes($0.open()) },
        Check("concurrentAppendsKeepTheChainIntact") { try await concurrentAppendsKeepTheChainIntact($0.open()) },
    ]

    static func historyIsNewestFirstFilteredAndLimited(_ store: any StateStore) throws {
        let db = ResourceAddress(name: "db")
        try store.put(StateSample.record(web), history: StateSample.history(web, serial: 1))
        try store.put(StateSample.record(db), history: StateSample.history(db, serial: 1))
        try store.put(StateSample.record(web), history: StateSample.history(web, serial: 2, action: "update"))

        let all = try store.history(address: nil, limit: 10)
        #expect(all.map(\.address) == [web, db, web])
        #expect(all.first == StateSample.history(web, serial: 2, action: "update"))
        #expect(try store.history(address: web, limit: 10).map(\.serial) == [2, 1])
        #expect(try store.history(address: nil, limit: 1).count == 1)
        #expect(try store.history(address: ResourceAddress(name: "other"), limit: 10).isEmpty)
    }

    static func runsBeginAndFinishNewestFirst(_ store: any StateStore) throws {
        let plan = try store.beginRun(kind: "plan", at: StateSample.date, actor: StateSample.actor)
        let apply = try store.beginRun(kind: "apply", at: StateSample.date.addingTimeInterval(60), actor: "root@runner-7")
        try store.finishRun(apply, outcome: "success", counts: ["created": 2, "failed": 0],
                            at: StateSample.date.addingTimeInterval(90.5))

        let runs = try store.runs(limit: 10)
        #expect(runs == [
            RunRecord(id: apply, kind: "apply", startedAt: StateSample.date.addingTimeInterval(60),
                      finishedAt: StateSample.date.addingTimeInterval(90.5), outcome: "success",
                      counts: ["created": 2, "failed": 0], actor: "root@runner-7"),
            RunRecord(id: plan, kind: "plan", startedAt: StateSample.date, finishedAt: nil, outcome: nil, counts: [:],
                      actor: StateSample.actor),
        ])
        #expect(try store.runs(limit: 1).map(\.id) == [apply])
        #expect(throws: StateError.self) { try store.finishRun(apply + 100, outcome: "x", counts: [:], at: StateSample.date) }
    }

    static func auditLogChainsHashes(_ store: any StateStore) throws {
        for (index, action) in ["plan", "apply", "force-unlock"].enumerated() {
            try store.appendAudit(who: "alice", action: action, target: "web", result: "ok",
                                  at: StateSample.date.addingTimeInterval(Double(index)))
        }

        let log = try store.auditLog()
        #expect(log.map(\.sequence) == [1, 2, 3])
        #expect(log.map(\.action) == ["plan", "apply", "force-unlock"])
        #expect(log.first?.previousHash == String(repeating: "0", count: 64))
        #expect(log.dropFirst().map(\.previousHash) == log.dropLast().map(\.hash))
        #expect(log.allSatisfy { $0.hash.count == 64 && $0.hash.allSatisfy(\.isHexDigit) })
        #expect(Set(log.map(\.hash)).count == 3)
        #expect(try store.verifyAuditChain() == nil)
    }

    static func concurrentAppendsKeepTheChainIntact(_ store: any StateStore) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try store.appendAudit(who: "worker \(index)", action: "apply", target: "web", result: "ok",
                                          at: StateSample.date)
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.auditLog().count == 40)
        #expect(try store.verifyAuditChain() == nil)
    }
}
