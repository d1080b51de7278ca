import TendModel
public final class SQLiteStateStore: StateStore, @unchecked Sendable {
    public init(path: String, createIfMissing: Bool) throws {}
    public func version() throws -> StateVersion? { nil }
    public func resources() throws -> [ResourceRecord] { [] }
    public func resource(_ address: ResourceAddress) throws -> ResourceRecord? { nil }
    public func initialize() throws -> StateVersion { StateVersion(lineage: "", serial: 0) }
    public func incrementSerial() throws -> StateVersion { StateVersion(lineage: "", serial: 0) }
    public func put(_ record: ResourceRecord, history: HistoryEntry?) throws {}
    public func remove(_ address: ResourceAddress, history: HistoryEntry?) throws {}
    public func history(address: ResourceAddress?, limit: Int) throws -> [HistoryEntry] { [] }
    public func beginRun(kind: String, at: Date) throws -> Int64 { 0 }
    public func finishRun(_ id: Int64, outcome: String, counts: [String: Int], at: Date) throws {}
    public func runs(limit: Int) throws -> [RunRecord] { [] }
    public func appendAudit(who: String, action: String, target: String, result: String, at: Date) throws {}
    public func auditLog() throws -> [AuditEntry] { [] }
    public func verifyAuditChain() throws -> Int64? { nil }
    public func lock(_ info: LockInfo) throws {}
    public func unlock(id: String) throws {}
    public func currentLock() throws -> LockInfo? { nil }
    public func forceUnlock(id: String) throws {}
}
import Foundation
