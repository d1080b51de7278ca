import Foundation
import TendModel
import TendReport
import Testing

@Suite struct MarkdownReportTests {
    let report = SampleReport.make()

    private func tableRows(_ markdown: String) -> [Substring] {
        markdown.split(separator: "\n").filter { $0.hasPrefix("| ") }
    }

    /// Cells of a table row, split on pipes that are not escaped.
    private func cells(_ row: Substring) -> Int {
        var count = 0
        var previous: Character = " "
        for character in row {
            if character == "|", previous != "\\" { count += 1 }
            previous = character
        }
        return count - 1
    }

    @Test func summarizesAndListsOnlyOpenFindings() {
        let markdown = report.rendered(.markdown)
        #expect(markdown.hasPrefix("# Drift report: prod\n"))
        #expect(markdown.contains("| 3 | 1 | 1 | 1 | 75.0% |"))
        #expect(markdown.contains("## Open findings (4)"))
        #expect(markdown.contains("local_file.stray"))
        #expect(!markdown.contains("local_file.token"))
        #expect(!markdown.contains("local_file.old"))
    }

    @Test func escapesPipesAndLineBreaksInCells() {
        let markdown = report.rendered(.markdown)
        #expect(markdown.contains("`tags[\"team\\|ops,eu\"]`"))
        #expect(markdown.contains("`\"a\\|b\"`"))
        let rows = tableRows(markdown)
        #expect(rows.count == 3 + 4)  // summary header and row, findings header, four findings
        for row in rows.dropFirst(3) { #expect(cells(row) == 5, "\(row)") }
    }

    @Test func capsTheFindingsTable() {
        let markdown = SampleReport.make(openFindings: 60).rendered(.markdown)
        let findingRows = tableRows(markdown).filter { $0.contains("local_file.f") }
        #expect(findingRows.count == 50)
        #expect(markdown.contains("…and 10 more"))
    }

    @Test func saysSoWhenNothingIsOpen() {
        let markdown = SampleReport.make(openFindings: 0).rendered(.markdown)
        #expect(markdown.contains("No open drift."))
    }
}
