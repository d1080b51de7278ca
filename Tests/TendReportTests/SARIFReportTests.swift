import Foundation
import TendModel
import TendReport
import Testing

@Suite struct SARIFReportTests {
    let report = SampleReport.make()

    private func results(of report: DriftReport = SampleReport.make()) throws -> [[String: Any]] {
        let data = Data(report.rendered(.sarif).utf8)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["version"] as? String == "2.1.0")
        #expect(json["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        let run = try #require((json["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "tend")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == ["drift-changed", "drift-missing", "drift-unmanaged"])
        return try #require(run["results"] as? [[String: Any]])
    }

    @Test func validatesAgainstTheOfficialSchema() throws {
        let data = Data(report.rendered(.sarif).utf8)
        #expect(try SchemaValidation.exitStatus(validating: data, against: RepositoryPath.sarifSchema) == 0)
    }

    @Test func officialSchemaRejectsABrokenLog() throws {
        let data = Data(report.rendered(.sarif).utf8)
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        json["version"] = "2.0.0"
        let broken = try JSONSerialization.data(withJSONObject: json)
        #expect(try SchemaValidation.exitStatus(validating: broken, against: RepositoryPath.sarifSchema) != 0)
    }

    @Test func reportsOneResultPerOpenFindingWithLevelsByKind() throws {
        let results = try results()
        #expect(results.map { $0["ruleId"] as? String }
            == ["drift-missing", "drift-changed", "drift-changed", "drift-unmanaged"])
        #expect(results.map { $0["level"] as? String } == ["error", "warning", "warning", "note"])
        let message = try #require((results[2]["message"] as? [String: Any])?["text"] as? String)
        #expect(message.contains("local_file.config"))
        #expect(message.contains(SampleReport.trickyPath))
        #expect(message.contains("\"a|b\""))
    }

    @Test func locatesResultsInManifestsAndOmitsUnknownLocations() throws {
        let results = try results()
        let location = try #require((results[0]["locations"] as? [[String: Any]])?.first)
        let physical = try #require(location["physicalLocation"] as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "infra/dirs.yaml")
        let region = try #require(physical["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 4)
        #expect(region["startColumn"] as? Int == 1)
        #expect(results[3]["locations"] == nil)
    }

    @Test func fingerprintsAreStableAcrossRunsAndDistinct() throws {
        var later = report
        for index in later.findings.indices {
            later.findings[index].id += 100
            later.findings[index].lastSeen += 3600
            later.findings[index].actual = .string("other")
        }
        let first = try results().compactMap { ($0["partialFingerprints"] as? [String: String])?.values.first }
        let second = try results(of: later).compactMap {
            ($0["partialFingerprints"] as? [String: String])?.values.first
        }
        #expect(first.count == 4)
        #expect(Set(first).count == 4)
        #expect(first == second)
    }
}
