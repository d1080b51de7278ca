import ArgumentParser
import Foundation
import TendConfig
import TendEngine
import TendModel
import TendReport

extension ReportFormat: ExpressibleByArgument {}

/// `tend report`: exports recorded drift as JSON, Markdown, HTML, CSV, JUnit XML or SARIF.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Export recorded drift findings.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "json | markdown | html | csv | junit | sarif")
    var format: ReportFormat = .json

    @Option(name: .long, help: "Only findings seen since then: a duration (30m, 12h, 7d, 2w) or a date (2026-11-01 or ISO 8601).")
    var since: String?

    @Option(name: [.customShort("o"), .long], help: "Write to FILE instead of standard output.")
    var output: String?

    func run() async throws {
        let workspace = Workspace(global)
        let now = Date()
        let window: Date?
        if let since {
            guard let parsed = ReportCommand.parseSince(since, now: now) else {
                workspace.terminal.error("error: --since expects a duration like 7d, 12h, 30m, 2w or a date like 2026-11-01, got \"\(since)\"")
                throw ExitCode.failure
            }
            window = parsed
        } else {
            window = nil
        }
        let variables: [String: String]
        do { variables = try global.parsedVariables() } catch let error as ValidationError {
            workspace.terminal.error("error: \(error.message)")
            throw ExitCode.failure
        }
        // Manifest locations make reports point at the declaring line; a report still works without a valid configuration.
        let loaded = ConfigLoader(catalog: workspace.registry.catalog)
            .load(directory: global.dir, variables: variables, varFiles: global.varFiles, environment: workspace.environment)
        let specs = loaded.configuration?.specs ?? []
        let state = workspace.makeStackState()
        let report = try await workspace.guarded {
            // The stack as declared or recorded; a report about no state at all names the directory.
            let recorded = loaded.configuration?.stack == nil ? try await state.stackID() : nil
            let stack = loaded.configuration?.stack ?? recorded ?? ConfigLoader.directoryStackName(global.dir)
            return try await DriftReportBuilder(state: state).build(stack: stack, since: window, now: now, specs: specs)
        }
        let text = ReportRenderer.render(report, as: format)
        guard let output else {
            workspace.terminal.write(text)
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            workspace.terminal.error("error: cannot write the report to \(output): \(error.localizedDescription)")
            throw ExitCode.failure
        }
    }

    /// A duration back from `now`, or an absolute date.
    static func parseSince(_ text: String, now: Date) -> Date? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let unit = text.last, let seconds = units[unit], let amount = Double(text.dropLast()), amount >= 0,
           (amount * seconds).isFinite {
            return now.addingTimeInterval(-amount * seconds)
        }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return date }
        iso.formatOptions = [.withFullDate]
        return iso.date(from: text)
    }
}
