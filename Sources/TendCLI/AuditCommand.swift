import ArgumentParser
import Foundation

/// `tend audit`: the append-only audit log, and whether its hash chain is intact.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the audit log and verify its hash chain.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let workspace = Workspace(global)
        let state = workspace.makeStackState()
        let (entries, broken) = try await workspace.guarded { (try await state.auditLog(), try await state.verifyAuditChain()) }
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
