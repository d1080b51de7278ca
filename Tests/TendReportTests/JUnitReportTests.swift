import Foundation
import TendModel
import TendReport
import Testing

@Suite struct JUnitReportTests {
    let report = SampleReport.make()

    @Test func writesACasePerResourceAndPerOpenUnmanagedFinding() throws {
        let parsed = XMLSummary.parse(report.rendered(.junit))
        #expect(parsed.parseError == nil)
        #expect(parsed.elementCounts["testcase"] == 4)
        #expect(parsed.elementCounts["failure"] == 3)
        let suite = try #require(parsed.attributes["testsuite"]?.first)
        #expect(suite["name"] == "tend drift")
        #expect(suite["tests"] == "4")
        #expect(suite["failures"] == "3")
        let cases = (parsed.attributes["testcase"] ?? []).map { "\($0["classname"] ?? "")/\($0["name"] ?? "")" }
        #expect(cases == [
            "local_dir/local_dir.cache", "local_file/local_file.config",
            "local_file/local_file.token", "unmanaged/local_file.stray",
        ])
    }

    @Test func failureMessagesNameTheOpenFindings() throws {
        let xml = report.rendered(.junit)
        #expect(xml.contains("message=\"2 open drift findings on local_file.config\""))
        #expect(xml.contains("changed local_file.config tags[&quot;team|ops,eu&quot;]"))
        #expect(!xml.contains("0600"))  // the resolved finding on local_file.token is not a failure
    }

    @Test func escapesHostileNames() {
        var hostile = report
        hostile.resources[0].address = "a\"<&>'\u{1}"
        hostile.resources[0].type = "t\"<&>"
        #expect(XMLSummary.parse(hostile.rendered(.junit)).parseError == nil)
    }
}
