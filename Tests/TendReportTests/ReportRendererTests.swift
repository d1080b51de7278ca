import Foundation
import TendModel
import TendReport
import Testing

@Suite struct ReportRendererTests {
    @Test(arguments: ReportFormat.allCases)
    func rendersTheSameBytesTwice(format: ReportFormat) {
        let report = SampleReport.make()
        #expect(Array(report.rendered(format).utf8) == Array(report.rendered(format).utf8))
    }

    @Test(arguments: ReportFormat.allCases)
    func neverLeaksTheRedactedSecret(format: ReportFormat) {
        let text = SampleReport.make().rendered(format)
        #expect(!text.contains(SampleReport.secret))
        #expect(!text.contains("hunter2"))
        #expect(text.contains("(sensitive)"))
    }

    @Test(arguments: ReportFormat.allCases)
    func rendersAnEmptyReport(format: ReportFormat) {
        let empty = DriftReport(
            generatedAt: SampleReport.base, stack: "empty",
            summary: DriftSummary(totalResources: 0, totalManaged: 0, totalChanged: 0, totalMissing: 0,
                                  totalUnmanaged: 0, coverage: 100),
            resources: [], findings: [], runs: [])
        #expect(!empty.rendered(format).isEmpty)
    }

    @Test(arguments: [
        (1_714_564_800.0, "2024-05-01T12:00:00Z"),
        (1_709_251_199.9, "2024-02-29T23:59:59Z"),
        (0.0, "1970-01-01T00:00:00Z"),
        (-1.0, "1969-12-31T23:59:59Z"),
        (951_782_400.0, "2000-02-29T00:00:00Z"),
    ])
    func writesDatesAsISO8601InUTC(seconds: Double, expected: String) throws {
        var report = SampleReport.make(openFindings: 0, runs: 0)
        report.generatedAt = Date(timeIntervalSince1970: seconds)
        let data = Data(report.rendered(.json).utf8)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["generated_at"] as? String == expected)
    }

    @Test func namesEveryFormat() {
        #expect(ReportFormat.allCases.map(\.rawValue) == ["json", "markdown", "html", "csv", "junit", "sarif"])
    }
}
