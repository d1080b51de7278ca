import Foundation
import TendModel
import TendReport
import Testing

@Suite struct JSONReportTests {
    let report = SampleReport.make()

    private func document() throws -> [String: Any] {
        let data = Data(report.rendered(.json).utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func parsesWithDriftctlSummaryNames() throws {
        let json = try document()
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["total_resources"] as? Int == 4)
        #expect(summary["total_managed"] as? Int == 3)
        #expect(summary["total_changed"] as? Int == 1)
        #expect(summary["total_missing"] as? Int == 1)
        #expect(summary["total_unmanaged"] as? Int == 1)
        #expect(summary["coverage"] as? Double == 75)
        #expect(json["generated_at"] as? String == "2024-05-01T12:00:00Z")
        #expect(json["since"] as? String == "2024-04-30T12:00:00Z")
        #expect(json["stack"] as? String == "prod")
        #expect((json["runs"] as? [Any])?.count == 5)
    }

    @Test func writesEveryFindingWithStatusLocationAndHistory() throws {
        let findings = try #require(try document()["findings"] as? [[String: Any]])
        #expect(findings.map { $0["id"] as? Int } == [3, 1, 2, 5, 4, 6])
        #expect(findings.map { $0["status"] as? String } == ["open", "open", "open", "resolved", "open", "resolved"])
        let tricky = findings[2]
        #expect(tricky["path"] as? String == SampleReport.trickyPath)
        #expect(tricky["expected"] as? String == SampleReport.trickyValue)
        let location = try #require(tricky["location"] as? [String: Any])
        #expect(location["file"] as? String == "infra/files.yaml")
        #expect(location["line"] as? Int == 1)
        #expect(findings[4]["location"] is NSNull)
        let resolved = findings[3]
        #expect(resolved["resolution"] as? String == "accepted")
        #expect(resolved["resolved_at"] as? String == "2024-05-01T10:00:00Z")
        #expect((resolved["history"] as? [[String: Any]])?.last?["status"] as? String == "resolved")
    }

    @Test func validatesAgainstTheDocumentedSchema() throws {
        let data = Data(report.rendered(.json).utf8)
        #expect(try SchemaValidation.exitStatus(validating: data, against: RepositoryPath.reportSchema) == 0)
    }

    @Test func schemaRejectsABrokenDocument() throws {
        var json = try document()
        var summary = try #require(json["summary"] as? [String: Any])
        summary["coverage"] = "75"
        json["summary"] = summary
        let data = try JSONSerialization.data(withJSONObject: json)
        #expect(try SchemaValidation.exitStatus(validating: data, against: RepositoryPath.reportSchema) != 0)
    }

    @Test func validatesAnEmptyReport() throws {
        var empty = report
        empty.findings = []
        empty.runs = []
        empty.since = nil
        let data = Data(empty.rendered(.json).utf8)
        #expect(try SchemaValidation.exitStatus(validating: data, against: RepositoryPath.reportSchema) == 0)
    }

    /// NaN and the infinities can no longer be values at all (`Number` has no such case); what a value can hold,
    /// however large or precise, is written exactly and stays valid JSON.
    @Test func writesNumbersExactly() throws {
        var odd = report
        let huge = try #require(Number(parsing: "1e300"))
        let precise = try #require(Number(parsing: "12345678901234567890.5"))
        odd.findings[1].actual = .list([.number(huge), .number(precise), .number(9_007_199_254_740_993), .number(1.5)])
        let text = odd.rendered(.json)
        #expect(text.contains("[1e300,12345678901234567890.5,9007199254740993,1.5]"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect((findings[1]["actual"] as? [Any])?.count == 4)
    }
}
