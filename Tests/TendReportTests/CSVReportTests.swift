import Foundation
import TendModel
import TendReport
import Testing

@Suite struct CSVReportTests {
    let report = SampleReport.make()

    @Test func writesAHeaderAndOneRowPerFinding() throws {
        let rows = CSVReader.rows(report.rendered(.csv))
        #expect(rows.count == report.findings.count + 1)
        #expect(rows.first == [
            "id", "address", "type", "kind", "path", "expected", "actual", "status",
            "first_seen", "last_seen", "resolved_at", "resolution", "file", "line", "context",
        ])
        #expect(rows.allSatisfy { $0.count == 15 })
    }

    @Test func roundTripsCommasQuotesAndLineBreaks() throws {
        var report = report
        report.findings[2].path = "a,b \"c\"\r\nd"
        let rows = CSVReader.rows(report.rendered(.csv))
        let row = try #require(rows.first { $0.first == "2" })
        #expect(row[4] == "a,b \"c\"\r\nd")
        #expect(row[5] == Value.string(SampleReport.trickyValue).canonicalJSON)
        #expect(row[6] == "\"a|b\"")
        #expect(row[7] == "open")
        #expect(row[12] == "infra/files.yaml")
        #expect(row[13] == "1")
    }

    @Test func leavesUnknownFieldsEmpty() throws {
        let rows = CSVReader.rows(report.rendered(.csv))
        let stray = try #require(rows.first { $0.first == "4" })
        #expect(stray[4] == "")
        #expect(stray[5] == "")
        #expect(stray[10] == "")
        #expect(stray[12] == "")
        let old = try #require(rows.first { $0.first == "5" })
        #expect(old[10] == "2024-05-01T10:00:00Z")
        #expect(old[11] == "accepted")
    }
}
