import Foundation
import Testing
import TendConfig
import TendModel

/// Issue 9, defect 4: every number a schema constrains is checked at load (`validate`) with its place, and numbers
/// are read exactly as written.
@Suite struct NumberValidationTests {
    static let ports = ValueConstraint.integer(-1...65535)
    static let catalog = SchemaCatalog([
        ResourceSchema(type: "local_file", attributes: [
            "path": AttributeSchema(.string, .required),
            "content": AttributeSchema(.string, .optional),
            "mode": AttributeSchema(.string, .optional, normalisation: .fileMode, constraint: .fileMode),
            "size": AttributeSchema(.number, .computed),
        ]),
        ResourceSchema(type: "test_group", attributes: [
            "ingress": AttributeSchema(.set(.object(["from_port": .number, "to_port": .number, "protocol": .string])),
                                       .optional,
                                       constraint: .each(.fields(["from_port": ports, "to_port": ports]))),
            "port": AttributeSchema(.number, .optional, constraint: ports),
        ]),
    ], providerSettings: [
        "aws": ["max_concurrency": AttributeSchema(.number, .optional, constraint: .integer(1...1024))],
    ])

    private func load(_ manifest: String) throws -> (LoadResult, [String]) {
        let directory = try TemporaryDirectory(files: ["main.yaml": manifest])
        defer { directory.remove() }
        let result = ConfigLoader(catalog: Self.catalog).load(directory: directory.path, variables: [:], varFiles: [],
                                                              environment: [:])
        return (result, result.headlines(relativeTo: directory.path))
    }

    @Test(arguments: ["1e300", "0", "-1", "1.5", "\"many\"", "2000"])
    func rejectsProviderSettingsOutOfRange(value: String) throws {
        let (result, headlines) = try load("""
        providers:
          aws:
            max_concurrency: \(value)
        """)
        #expect(result.configuration == nil)
        let expected = headlines.first { $0.hasPrefix("main.yaml:3:22: error: invalid value for setting \"max_concurrency\"") }
        #expect(expected != nil, "\(headlines)")
    }

    @Test func acceptsProviderSettingsInRangeAsNumbers() throws {
        let (result, headlines) = try load("providers:\n  aws:\n    max_concurrency: \"16\"\n    other: 1e300\n")
        #expect(headlines.isEmpty, "\(headlines)")
        let aws = try #require(result.configuration?.providers["aws"])
        #expect(aws["max_concurrency"] == .number(16))
        #expect(aws["other"] == .number(try #require(Number(parsing: "1e300"))))
    }

    @Test(arguments: ["1e300", "65536", "-2", "8.5"])
    func rejectsPortsOutOfRangeInNestedRules(value: String) throws {
        let (result, headlines) = try load("""
        resources:
          web:
            type: test_group
            properties:
              ingress:
                - { protocol: tcp, from_port: 22, to_port: 22 }
                - protocol: tcp
                  from_port: \(value)
                  to_port: 443
        """)
        #expect(result.configuration == nil)
        #expect(headlines.contains { $0.hasPrefix("main.yaml:8:22: error: invalid value for attribute \"ingress[1].from_port\"") },
                "\(headlines)")
    }

    @Test(arguments: ["1e300", "-1", "\"77777777777777777777\"", "\"0999\"", "\"10000\"", "true"])
    func rejectsFileModesPlanWouldReject(mode: String) throws {
        let (result, headlines) = try load("""
        resources:
          f:
            type: local_file
            properties: { path: /tmp/f, mode: \(mode) }
        """)
        #expect(result.configuration == nil)
        #expect(headlines.contains { $0.hasPrefix("main.yaml:4:39: error: invalid value for attribute \"mode\"") }, "\(headlines)")
    }

    @Test(arguments: ["644", "\"0644\"", "\"4755\"", "0755", "\"7\"", "\"07777\""])
    func acceptsFileModesPlanAccepts(mode: String) throws {
        let (_, headlines) = try load("resources:\n  f:\n    type: local_file\n    properties: { path: /tmp/f, mode: \(mode) }\n")
        #expect(headlines.isEmpty, "\(headlines)")
    }

    /// A value that refers to another resource is known only at plan time, where the provider checks it.
    @Test func leavesReferencedValuesToPlan() throws {
        let (result, headlines) = try load("""
        resources:
          a: { type: local_file, properties: { path: /tmp/a, content: "123456789" } }
          b: { type: local_file, properties: { path: /tmp/b, mode: "${a.size}" } }
          g: { type: test_group, properties: { port: "${a.size}" } }
        """)
        #expect(headlines.isEmpty, "\(headlines)")
        #expect(result.configuration != nil)
    }

    @Test(arguments: ["1e300", "-1", "1.5", "100001", "\"x\""])
    func rejectsCountsThatAreNotSmallWholeNumbers(count: String) throws {
        let (result, headlines) = try load("""
        resources:
          f:
            type: local_file
            count: \(count)
            properties: { path: "/tmp/f${count.index}" }
        """)
        #expect(result.configuration == nil)
        #expect(headlines.contains { $0.hasPrefix("main.yaml:4:12: error: count must be a non-negative whole number") },
                "\(headlines)")
    }

    @Test func readsNumbersExactlyAsWritten() throws {
        let (result, headlines) = try load("""
        variables:
          a: { default: 9007199254740993 }
          b: { default: 12345678901234567890.5 }
          c: { default: 1e300 }
          d: { default: 123456789012345678901234567890 }
          e: { default: 0x1F }
        """)
        #expect(headlines.isEmpty, "\(headlines)")
        let variables = try #require(result.configuration?.variables)
        #expect(variables["a"] == .number(9_007_199_254_740_993))
        #expect(variables["b"]?.numberValue?.description == "12345678901234567890.5")
        #expect(variables["c"]?.numberValue?.description == "1e300")
        #expect(variables["d"]?.numberValue?.description == "1.2345678901234567890123456789e29")
        #expect(variables["e"] == .number(31))
    }
}
