import Foundation
import Testing
@testable import TendConfig
import TendModel

/// Parsing costs what reading costs: ten times the items take about ten times as long, in flow and block style.
/// A quadratic step would make it a hundred times; the bound of 30 leaves room for a loaded machine.
@Suite struct LinearParsingTests {
    enum Style: String, CaseIterable {
        case flowList, blockList, blockMap, flowMap
    }

    static func forEach(_ style: Style, items: Int) -> String {
        let keys = (0..<items).map { "k\($0)" }
        let list: String
        switch style {
        case .flowList: list = " [" + keys.joined(separator: ", ") + "]\n"
        case .blockList: list = "\n" + keys.map { "      - \($0)\n" }.joined()
        case .blockMap: list = "\n" + keys.map { "      \($0): v\($0)\n" }.joined()
        case .flowMap: list = " {" + keys.map { "\($0): v\($0)" }.joined(separator: ", ") + "}\n"
        }
        return "resources:\n  site:\n    type: local_file\n    for_each:" + list
            + "    properties: { path: \"/tmp/site/${each.key}\", content: x }\n"
    }

    /// CPU time of this thread: the tests around it running in parallel do not count.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The least of a few runs, to keep out a pause the machine imposed.
    static func fastest(of runs: Int, _ body: () -> Void, clock measure: () -> Double) -> Double {
        (0..<runs).map { _ in
            let start = measure()
            body()
            return measure() - start
        }.min() ?? 0
    }

    @Test(arguments: Style.allCases)
    func parsingIsLinear(style: Style) throws {
        let small = Self.forEach(style, items: 10_000), large = Self.forEach(style, items: 100_000)
        func parse(_ text: String) {
            guard case let .success(root?) = ManifestParser(file: "main.yaml", text: text).parse() else {
                Issue.record("did not parse")
                return
            }
            #expect(root["resources"]?["site"]?["for_each"] != nil)
        }
        let smallTime = Self.fastest(of: 3, { parse(small) }, clock: Self.threadCPUSeconds)
        let largeTime = Self.fastest(of: 1, { parse(large) }, clock: Self.threadCPUSeconds)
        print("parse \(style.rawValue): 10,000 items \(smallTime) s, 100,000 items \(largeTime) s CPU")
        #expect(largeTime < 30 * max(smallTime, 0.001), "10× the items took \(largeTime / max(smallTime, 0.001))× as long")
    }

    /// The whole load: parsing, for_each expansion (duplicate keys are found with a set, not a scan), specs.
    @Test(arguments: [Style.flowList, Style.blockMap])
    func loadingIsLinear(style: Style) throws {
        func load(_ items: Int) throws -> Double {
            let directory = try TemporaryDirectory(files: ["main.yaml": Self.forEach(style, items: items)])
            defer { directory.remove() }
            let clock = ContinuousClock()
            var best = Duration.seconds(1_000)
            for _ in 0..<(items > 10_000 ? 1 : 2) {
                let start = clock.now
                let result = directory.load()
                best = min(best, clock.now - start)
                #expect(result.configuration?.specs.count == items, "\(result.diagnostics.prefix(3).map(\.headline))")
            }
            return Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        }
        let smallTime = try load(10_000), largeTime = try load(100_000)
        print("load \(style.rawValue): 10,000 items \(smallTime) s, 100,000 items \(largeTime) s wall")
        #expect(largeTime < 30 * max(smallTime, 0.001), "10× the items took \(largeTime / max(smallTime, 0.001))× as long")
    }
}
