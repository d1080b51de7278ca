import ArgumentParser
import Foundation
import TendEngine
import TendModel
import TendState

/// `tend show [PLANFILE]`: the current state, or a saved plan; with `--json`, in Terraform's JSON formats (the values
/// representation of state, as `terraform show -json` prints it, or the plan JSON of `tend plan --json`). Sensitive
/// values are never shown.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show the state, or a saved plan.",
        discussion: "Without PLANFILE: every resource in state with its recorded attributes. With PLANFILE (from `tend plan -out`): "
            + "that plan. --json prints Terraform's JSON: the state's values representation, or the plan JSON.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print JSON in Terraform's formats.")
    var json = false

    @Argument(help: "A plan saved by `tend plan -out FILE`.")
    var planFile: String?

    func run() async throws {
        let workspace = Workspace(global)
        if let planFile {
            let plan = try await workspace.loadSavedPlan(at: planFile).plan
            if json {
                PlanJSONView().write(plan) { workspace.terminal.standardOutput.write($0) }
            } else {
                workspace.terminal.write(PlanTextView(palette: workspace.palette).render(plan))
            }
            return
        }
        let state = workspace.makeStackState()
        let (records, outputs) = try await workspace.guarded { (try await state.resources(), try await state.outputs()) }
        let marks = { (record: ResourceRecord) in
            record.sensitiveMarks.union(workspace.registry.catalog[record.type]?.sensitivePaths ?? [])
        }
        if json {
            workspace.terminal.write(TerraformValues.state(records, outputs: outputs, marks: marks).canonicalJSON + "\n")
            return
        }
        guard !records.isEmpty else {
            workspace.terminal.write("The state is empty.\n")
            return
        }
        var out = ""
        for record in records.sorted(byKey: \.address) {
            let pending = record.status == .createPending ? "  (create pending)" : ""
            out += "# \(record.address) (\(record.type))\(pending)\n"
            for key in record.attributes.keys.sorted() {
                out += "    \(key) = \(ValueFormatter.format(record.attributes[key], at: AttributePath([.key(key)]), marks: marks(record)))\n"
            }
            out += "\n"
        }
        if !outputs.isEmpty { out += OutputCommand.listing(outputs, palette: workspace.palette) }
        workspace.terminal.write(out)
    }
}
