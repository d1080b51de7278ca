import Foundation
import Testing
import TendConfig
import TendModel

/// Every limit ends in one error that names the place and the limit, and nothing is loaded.
@Suite struct ManifestLimitsTests {
    private func load(_ files: [String: String], limits: ManifestLimits = .standard) throws -> (LoadResult, [String]) {
        let directory = try TemporaryDirectory(files: files)
        defer { directory.remove() }
        let result = ConfigLoader(catalog: TestCatalog.catalog, limits: limits)
            .load(directory: directory.path, variables: [:], varFiles: [], environment: [:])
        return (result, result.headlines(relativeTo: directory.path))
    }

    /// Nine levels of nine aliases stand for 9^9 nodes in a few hundred bytes, under a key nothing reads.
    static let aliasBomb = "resources: {}\nunused:\n  a: &a [x,x,x,x,x,x,x,x,x]\n"
        + (1...8).map { level in
            let name = String(UnicodeScalar(UInt8(97 + level))), previous = String(UnicodeScalar(UInt8(96 + level)))
            return "  \(name): &\(name) [" + Array(repeating: "*" + previous, count: 9).joined(separator: ",") + "]\n"
        }.joined()

    @Test func aliasBombStopsAtTheAliasThatCrossesTheLimit() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let (result, headlines) = try load(["main.yaml": Self.aliasBomb])
        #expect(clock.now - start < .seconds(10), "counting aliases must not expand them")
        #expect(result.configuration == nil)
        // a..f expand to 672,588 nodes; g's first *f adds 597,871 more.
        #expect(headlines == ["main.yaml:9:10: error: aliases expand to more than 1000000 nodes, the limit of alias "
            + "expansion (alias *f would make 597871 more)"])
    }

    @Test func aliasBombAsAMappingKeyStopsToo() throws {
        let bomb = Self.aliasBomb + "? *i\n: x\n"
        let (result, headlines) = try load(["main.yaml": bomb])
        #expect(result.configuration == nil)
        #expect(headlines.first?.hasPrefix("main.yaml:9:10: error: aliases expand to more than 1000000 nodes") == true,
                "\(headlines)")
    }

    @Test func aliasesWithinTheLimitStillShareValues() throws {
        let (result, headlines) = try load(["main.yaml": """
            resources:
              a: &file { type: local_file, properties: { path: /tmp/a, content: &text hello } }
              b: { type: local_file, properties: { path: /tmp/b, content: *text } }
            """])
        #expect(headlines.isEmpty, "\(headlines)")
        let specs = try #require(result.configuration).specs
        #expect(specs.map { $0.properties["content"] } == [.literal(.string("hello")), .literal(.string("hello"))])
    }

    @Test func nestingDeeperThanTheLimitIsRefused() throws {
        let text = "resources: {}\nx: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "\n"
        let (result, headlines) = try load(["main.yaml": text])
        #expect(result.configuration == nil)
        // The top-level map is the first level; the 128th "[" (at column 3 + 128) the 129th.
        #expect(headlines == ["main.yaml:2:131: error: lists and maps are nested deeper than the limit of 128 levels"])
    }

    @Test func nestingIsCountedThroughAliases() throws {
        let text = "resources: {}\nx: &x " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
            + "\ny: " + String(repeating: "[", count: 50) + "*x" + String(repeating: "]", count: 50) + "\n"
        let (result, headlines) = try load(["main.yaml": text])
        #expect(result.configuration == nil)
        #expect(headlines == ["main.yaml:3:54: error: lists and maps are nested deeper than the limit of 128 levels"])
    }

    @Test func aLongStringIsRefusedAtItsPlace() throws {
        var limits = ManifestLimits.standard
        limits.maximumStringBytes = 1000
        let text = "resources:\n  f:\n    type: local_file\n    properties: { path: /tmp/f, content: \""
            + String(repeating: "é", count: 501) + "\" }\n"
        let (result, headlines) = try load(["main.yaml": text], limits: limits)
        #expect(result.configuration == nil)
        #expect(headlines == ["main.yaml:4:42: error: a string of 1002 bytes is longer than the limit of 1000 bytes for one string"])
    }

    @Test func theDefaultStringLimitIsSixteenMiB() throws {
        let content = String(repeating: "x", count: 16 << 20)
        func manifest(_ content: String) -> String {
            "resources:\n  f:\n    type: local_file\n    properties: { path: /tmp/f, content: \"\(content)\" }\n"
        }
        let (accepted, acceptedHeadlines) = try load(["main.yaml": manifest(content)])
        #expect(acceptedHeadlines.isEmpty, "\(acceptedHeadlines)")
        #expect(accepted.configuration?.specs.first?.properties["content"] == .literal(.string(content)))
        let (_, headlines) = try load(["main.yaml": manifest(content + "y")])
        #expect(headlines == ["main.yaml:4:42: error: a string of 16777217 bytes is longer than the limit of 16 MiB for one string"])
    }

    @Test func aFileOverTheSizeLimitIsNotParsed() throws {
        var limits = ManifestLimits.standard
        limits.maximumFileBytes = 100
        let text = "resources: {}\n# " + String(repeating: "x", count: 200) + "\n"
        let (result, headlines) = try load(["main.yaml": text, "other.yaml": "stack: s\n"], limits: limits)
        #expect(result.configuration == nil)
        #expect(headlines == ["main.yaml:1:1: error: main.yaml is \(text.utf8.count) bytes, larger than the limit of 100 bytes "
            + "for one manifest file"])
    }

    @Test func filesOverTheTotalLimitAreRefused() throws {
        var limits = ManifestLimits.standard
        limits.maximumTotalBytes = 100
        let text = "resources: {}\n# " + String(repeating: "x", count: 50) + "\n"
        let other = text.replacingOccurrences(of: "resources: {}", with: "stack: s")
        let (result, headlines) = try load(["a.yaml": text, "b.yaml": other], limits: limits)
        #expect(result.configuration == nil)
        let total = text.utf8.count + other.utf8.count
        #expect(headlines == ["b.yaml:1:1: error: with b.yaml the configuration's files come to \(total) bytes, more than the "
            + "limit of 100 bytes for all files together"])
    }

    @Test func countOverTheInstanceLimitIsRefused() throws {
        var limits = ManifestLimits.standard
        limits.maximumInstancesPerResource = 50
        let (result, headlines) = try load(["main.yaml": "resources:\n  f:\n    type: local_file\n    count: 51\n"
            + "    properties: { path: \"/tmp/${count.index}\" }\n"], limits: limits)
        #expect(result.configuration == nil)
        #expect(headlines == ["main.yaml:4:12: error: count must be a non-negative whole number of at most 50 (the limit of "
            + "instances of one resource), got 51"])
    }

    @Test func forEachOverTheInstanceLimitIsRefused() throws {
        var limits = ManifestLimits.standard
        limits.maximumInstancesPerResource = 50
        let keys = (0..<51).map { "k\($0)" }.joined(separator: ", ")
        let (result, headlines) = try load(["main.yaml": "resources:\n  f:\n    type: local_file\n    for_each: [\(keys)]\n"
            + "    properties: { path: \"/tmp/${each.key}\" }\n"], limits: limits)
        #expect(result.configuration == nil)
        #expect(headlines == ["main.yaml:4:15: error: for_each has 51 items, more than the limit of 50 instances of one resource"])
    }

    @Test func instancesOfAllResourcesTogetherAreLimited() throws {
        var limits = ManifestLimits.standard
        limits.maximumInstances = 60
        let (result, headlines) = try load(["main.yaml": """
            resources:
              a: { type: local_file, count: 40, properties: { path: "/tmp/a/${count.index}" } }
              b: { type: local_file, count: 40, properties: { path: "/tmp/b/${count.index}" } }
            """], limits: limits)
        #expect(result.configuration == nil)
        #expect(headlines == ["main.yaml:3:3: error: resource \"b\" brings the configuration to 80 instances, more than "
            + "the limit of 60 for all resources together"])
    }
}
