import Foundation
import TendModel
import TendReport
import Testing

@Suite struct HTMLReportTests {
    let report = SampleReport.make()

    @Test func isOneWellFormedDocument() throws {
        let html = report.rendered(.html)
        #expect(html.hasPrefix("<!DOCTYPE html>\n"))
        let parsed = XMLSummary.parse(html)
        #expect(parsed.parseError == nil)
        #expect(parsed.elementCounts["html"] == 1)
        #expect(parsed.elementCounts["svg"] == 1)
        #expect(parsed.elementCounts["tr"] == 8)  // header + six findings + the diff of the multi-line one
        #expect(parsed.elementCounts["script"] == nil)
    }

    @Test func referencesNoExternalAssets() {
        let html = report.rendered(.html).lowercased()
        for pattern in ["src=", "href=", "@import", "url(", "http://", "https://", "<link", "<script"] {
            #expect(!html.contains(pattern), "found \(pattern)")
        }
    }

    @Test func listsOpenFindingsBeforeResolvedOnes() throws {
        let parsed = XMLSummary.parse(report.rendered(.html))
        let rowClasses = (parsed.attributes["tr"] ?? []).compactMap { $0["class"] }
        #expect(rowClasses == ["open", "open", "open", "open detail", "open", "resolved", "resolved"])
    }

    @Test func escapesMarkupInjectedThroughAnAddress() {
        var hostile = report
        hostile.stack = "<b>prod</b>"
        hostile.findings[1].address = "local_file.<script>alert('x')</script>"
        let html = hostile.rendered(.html)
        #expect(!html.contains("<script>"))
        #expect(html.contains("local_file.&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(!html.contains("<b>prod"))
        #expect(XMLSummary.parse(html).parseError == nil)
    }

    @Test(arguments: [0, 1, 2, 10_000])
    func drawsTheChartForAnyNumberOfRuns(runs: Int) throws {
        let html = SampleReport.make(openFindings: 3, runs: runs).rendered(.html)
        let parsed = XMLSummary.parse(html)
        #expect(parsed.parseError == nil)
        #expect(parsed.elementCounts["svg"] == 1)
        let lines = parsed.attributes["polyline"] ?? []
        #expect(lines.count == (runs > 1 ? 3 : 0))
        for line in lines {
            let points = (line["points"] ?? "").split(separator: " ")
            #expect(points.count == min(runs, 500))
        }
        if runs == 1 { #expect(parsed.elementCounts["circle"] == 3) }
        if runs == 0 { #expect(html.contains("No drift runs recorded")) }
    }
}
