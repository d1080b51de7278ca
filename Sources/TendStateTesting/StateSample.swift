import Foundation
import TendModel
import TendState

/// Values the state tests and the behaviour suite share.
public enum StateSample {
    /// 2023-11-14T22:13:20.25Z: exactly representable, so it survives any storage.
    public static let date = Date(timeIntervalSince1970: 1_700_000_000.25)

    /// Who a sample run was made by: an operating-system user at a host, as `Engine.actor` names them.
    public static let actor = "ops@build-host"

    /// A record with every kind of value, sensitive paths and dependencies; `createPending` ones have no id.
    public static func record(_ address: ResourceAddress, status: ResourceRecord.Status = .created) -> ResourceRecord {
        ResourceRecord(
            address: address, type: "local_file", provider: "local", id: status == .createPending ? "" : "id-\(address)",
            attributes: [
                "path": .string("/tmp/out/\"quoted\"\n.txt"),
                "mode": .number(420),
                "ratio": .number(0.125),
                "enabled": .bool(true),
                "nothing": .null,
                "tags": .map(["owner": .string("ops"), "nested": .map(["deep": .list([.number(1), .bool(false)])])]),
                "ports": .list([.number(80), .number(443), .map(["name": .string("x")])]),
            ],
            sensitivePaths: [AttributePath(keys: "tags", "owner"), AttributePath([.key("ports"), .index(2), .key("a.b")])],
            dependencies: [ResourceAddress(name: "dir"), ResourceAddress(name: "site", key: .string("a")),
                           ResourceAddress(name: "disk", key: .index(3))],
            schemaVersion: 2, status: status, updatedAt: date)
    }

    /// A history entry of run 1 at `serial`; a create has no before, a delete no after.
    public static func history(_ address: ResourceAddress, serial: Int, action: String = "create") -> HistoryEntry {
        HistoryEntry(serial: serial, runID: 1, address: address, action: action,
                     before: action == "create" ? nil : ["content": .string("old")],
                     after: action == "delete" ? nil : ["content": .string("new \(serial)")],
                     at: date.addingTimeInterval(Double(serial)))
    }

    /// A lock held by `pid` on `host` (this process on this host by default).
    public static func lock(id: String = "lock-1", pid: Int32 = getpid(), host: String = LocalHost.name) -> LockInfo {
        LockInfo(id: id, holder: "alice@laptop", operation: "apply", pid: pid, host: host, since: date)
    }

    /// The pid of a process that has exited and been reaped.
    public static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }
}
