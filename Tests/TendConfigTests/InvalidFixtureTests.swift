import Foundation
import Testing
import TendConfig
import TendModel

/// Each folder of fixtures/invalid holds manifests and `expected.txt`, one diagnostic headline per line.
@Suite struct InvalidFixtureTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("fixtures/invalid").path
    }()

    static let scenarios: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }()

    @Test func hasAtLeastTwentyFiveScenarios() {
        #expect(Self.scenarios.count >= 25)
    }

    @Test(arguments: scenarios)
    func reportsExpectedDiagnostics(scenario: String) throws {
        let directory = Self.root + "/" + scenario
        let varFiles = FileManager.default.fileExists(atPath: directory + "/vars.in") ? [directory + "/vars.in"] : []
        let result = TestCatalog.loader.load(directory: directory, variables: Self.commandLine(in: directory),
                                             varFiles: varFiles, environment: ["HOME": "/home/test"])
        let actual = result.headlines(relativeTo: directory)
        let expectedPath = directory + "/expected.txt"
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try (actual.joined(separator: "\n") + "\n").write(toFile: expectedPath, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        #expect(actual == expected)
        #expect(result.configuration == nil)
        #expect(!actual.isEmpty)
    }

    /// `--var` values for a scenario: lines of `name=value` in `vars.cli`.
    static func commandLine(in directory: String) -> [String: String] {
        guard let text = try? String(contentsOfFile: directory + "/vars.cli", encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { out[parts[0]] = parts[1] }
        }
        return out
    }
}
