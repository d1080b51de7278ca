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
        let state = workspace.makeStackState(readsHistory: true)
        let (runs, entries) = try await workspace.guarded {
            (filter == nil ? try await state.runs(limit: limit) : [], try await state.history(address: filter, limit: limit))
        }
        var out = ""
        if !runs.isEmpty {
            out += "Runs:\n"
            for run in runs {
                let counts = run.counts.keys.sorted().filter { (run.counts[$0] ?? 0) > 0 }.map { "\($0)=\(run.counts[$0] ?? 0)" }
                let by = run.actor.map { "  by \($0)" } ?? ""
                out += "  #\(run.id)  \(HistoryCommand.timestamp(run.startedAt))  \(run.kind)  \(run.outcome ?? "unfinished")\(by)"
                    + "  \(counts.joined(separator: " "))\n"
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
