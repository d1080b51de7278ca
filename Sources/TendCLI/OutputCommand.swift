import ArgumentParser
import Foundation
import TendModel
import TendState

/// `tend output [NAME] [--json | --raw]`: the outputs the last apply recorded in state. A sensitive output's value
/// is never printed: it shows as `(sensitive)`, is left out of JSON, and asking for it alone is an error.
struct OutputCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "output", abstract: "Show the outputs recorded by the last apply.",
        discussion: "Without NAME: every output. --json prints them in Terraform's format (sensitive values left out); "
            + "--raw prints one string, number or bool as it is, for scripts.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "One output's name.")
    var name: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Flag(name: .long, help: "Print one output's value as it is, without quotes (strings, numbers and bools only).")
    var raw = false

    func validate() throws {
        if json && raw { throw ValidationError("--json and --raw cannot be combined") }
        if raw && name == nil { throw ValidationError("--raw prints one output: tend output --raw NAME") }
    }

    func run() async throws {
        let workspace = Workspace(global)
        let state = workspace.makeStackState()
        let outputs = try await workspace.guarded { try await state.outputs() }
        let terminal = workspace.terminal
        guard let name else {
            if json {
                terminal.write(TerraformOutputs.values(outputs).canonicalJSON + "\n")
            } else if outputs.isEmpty {
                terminal.error("No outputs recorded. Declare them under outputs: and run tend apply.")
            } else {
                terminal.write(Self.lines(outputs))
            }
            return
        }
        guard let output = outputs.first(where: { $0.name == name }) else {
            let known = outputs.map(\.name).joined(separator: ", ")
            terminal.error("error: no output named \"\(name)\" in state" + (known.isEmpty ? " (none is recorded)" : "; recorded: \(known)"))
            throw ExitCode.failure
        }
        if output.sensitive && (json || raw) {
            terminal.error("error: output \"\(name)\" is sensitive; tend never prints sensitive values")
            throw ExitCode.failure
        }
        if json {
            terminal.write(output.value.canonicalJSON + "\n")
        } else if raw {
            switch output.value {
            case let .string(text): terminal.write(text)
            case let .number(number): terminal.write(number.description)
            case let .bool(flag): terminal.write(flag ? "true" : "false")
            default:
                terminal.error("error: output \"\(name)\" is a \(output.value.kindName); --raw prints only strings, numbers and bools (use --json)")
                throw ExitCode.failure
            }
        } else {
            terminal.write(ValueFormatter.format(output.value, sensitive: output.sensitive) + "\n")
        }
    }

    /// `name = value` per output, sensitive values as `(sensitive)`.
    static func lines(_ outputs: [OutputValue]) -> String {
        let width = outputs.map(\.name.count).max() ?? 0
        return outputs.map { output in
            output.name.padding(toLength: width, withPad: " ", startingAt: 0) + " = "
                + ValueFormatter.format(output.value, sensitive: output.sensitive) + "\n"
        }.joined()
    }

    /// The outputs under a heading, as shown after apply and by `tend show`.
    static func listing(_ outputs: [OutputValue], palette: Palette) -> String {
        palette.bold("Outputs:") + "\n\n" + lines(outputs)
    }
}
