import ArgumentParser
import Foundation
import TendModel

/// `tend history [ADDRESS]`: runs and applied changes, newest first.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show past runs and applied changes.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Only the changes of this resource address.")
    var address: String?

    @Option(name: .long, help: "How many entries to show.")
    var limit: Int = 50

    func run() async throws {
        let workspace = Workspace(global)
        let filter = try address.map { try StateCommand.parse($0, workspace) }
        let store = try workspace.openStore()
        let (runs, entries) = try await workspace.guarded {
            (filter == nil ? try store.runs(limit: limit) : [], try store.history(address: filter, limit: limit))
        }
        var out = ""
        if !runs.isEmpty {
            out += "Runs:\n"
            for run in runs {
                let counts = run.counts.keys.sorted().filter { (run.counts[$0] ?? 0) > 0 }.map { "\($0)=\(run.counts[$0] ?? 0)" }
                out += "  #\(run.id)  \(HistoryCommand.timestamp(run.startedAt))  \(run.kind)  \(run.outcome ?? "unfinished")  \(counts.joined(separator: " "))\n"
            }
            out += "\n"
        }
        out += "Changes:\n"
        if entries.isEmpty { out += "  (none)\n" }
        for entry in entries {
            out += "  serial \(entry.serial)  \(HistoryCommand.timestamp(entry.at))  \(entry.action)  \(entry.address)\n"
        }
        workspace.terminal.write(out)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }
}

/// `tend audit`: the append-only audit log, and whether its hash chain is intact.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the audit log and verify its hash chain.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let workspace = Workspace(global)
        let store = try workspace.openStore()
        let (entries, broken) = try await workspace.guarded { (try store.auditLog(), try store.verifyAuditChain()) }
        var out = ""
        for entry in entries {
            out += "\(entry.sequence)  \(HistoryCommand.timestamp(entry.at))  \(entry.who)  \(entry.action)  \(entry.target)  \(entry.result)\n"
        }
        workspace.terminal.write(out)
        if let broken {
            workspace.terminal.error("error: the audit log's hash chain is broken at row \(broken): it was altered outside tend")
            throw ExitCode.failure
        }
        workspace.terminal.write("Audit log intact: \(entries.count) rows, hash chain verified.\n")
    }
}

/// `tend force-unlock ID`: removes a lock left by a crashed or killed run.
struct ForceUnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "force-unlock", abstract: "Remove a stale state lock by its id.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The lock id, as shown in the lock error.")
    var id: String

    func run() async throws {
        let workspace = Workspace(global)
        let store = try workspace.openStore()
        try await workspace.guarded {
            try store.forceUnlock(id: id)
            try store.appendAudit(who: workspace.makeEngine(store: store).actor, action: "force-unlock", target: id, result: "ok", at: Date())
        }
        workspace.terminal.write("Lock \(id) removed.\n")
    }
}
