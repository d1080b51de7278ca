import Foundation
import Testing
@testable import TendConfig
import TendModel

@Suite struct DataSourceConfigTests {
    /// The test catalog with two data sources, one resolved on demand as a plugin's are.
    static let catalog: SchemaCatalog = {
        var catalog = TestCatalog.catalog
        catalog.dataSchemas["test_echo"] = ResourceSchema(type: "test_echo", attributes: [
            "input": AttributeSchema(.string, .required),
            "count": AttributeSchema(.number, .optional),
            "output": AttributeSchema(.string, .computed),
            "token": AttributeSchema(.string, .computed, sensitive: true),
        ])
        let lookup = ResourceSchema(type: "remote_lookup", attributes: [
            "key": AttributeSchema(.string, .required),
            "value": AttributeSchema(.string, .computed),
        ])
        catalog.resolver = SchemaCatalog.Resolver(typeNames: { [] }, resolve: { _ in nil },
                                                  dataTypeNames: { ["remote_lookup"] },
                                                  resolveData: { $0 == "remote_lookup" ? (lookup, "remote") : nil })
        return catalog
    }()

    private func load(_ text: String) throws -> (result: LoadResult, headlines: [String]) {
        let directory = try TemporaryDirectory(files: ["main.yaml": text])
        defer { directory.remove() }
        let result = ConfigLoader(catalog: Self.catalog).load(directory: directory.path, variables: [:], varFiles: [],
                                                              environment: [:])
        return (result, result.headlines(relativeTo: directory.path))
    }

    @Test func parsesDataSourcesAndTheirReferences() throws {
        let (result, headlines) = try load("""
        data:
          greeting:
            type: test_echo
            properties: { input: hello, count: "3" }
          found:
            type: remote_lookup
            properties: { key: "${data.greeting.output}-${site.id}" }
        resources:
          site:
            type: test_thing
            properties: { name: "${data.greeting.output}" }
          other:
            type: test_thing
            properties: { name: x }
            options: { depends_on: [data.found] }
        """)
        #expect(headlines.isEmpty, "\(headlines)")
        let configuration = try #require(result.configuration)
        #expect(configuration.dataSources.map(\.address.description) == ["data.found", "data.greeting"])
        let greeting = try #require(configuration.dataSources.last)
        #expect(greeting.type == "test_echo")
        #expect(greeting.provider == "test")
        #expect(greeting.name == "greeting")
        #expect(greeting.properties["input"] == .literal(.string("hello")))
        #expect(greeting.properties["count"] == .literal(.number(3)), "typed by the data source's schema")
        #expect(greeting.dependencies.isEmpty)
        #expect(greeting.location?.line == 2)

        let found = try #require(configuration.dataSources.first)
        #expect(found.provider == "remote", "the resolver names the provider that serves the type")
        #expect(found.dependencies == [.dataSource("greeting"), ResourceAddress(name: "site")],
                "a data source depends on the resources and data sources it refers to")

        let site = try #require(configuration.specs.first { $0.address.name == "site" })
        #expect(site.dependencies == [.dataSource("greeting")])
        guard case let .reference(reference)? = site.properties["name"] else {
            Issue.record("expected a reference, got \(String(describing: site.properties["name"]))")
            return
        }
        #expect(reference.address == .dataSource("greeting"))
        #expect(reference.description == "data.greeting.output")
        let other = try #require(configuration.specs.first { $0.address.name == "other" })
        #expect(other.dependencies == [.dataSource("found")], "depends_on names a data source as data.NAME")
    }

    @Test func reportsSchemaErrorsWithTheirPlace() throws {
        let (result, headlines) = try load("""
        data:
          a:
            type: test_echo
            properties: { inptu: x, output: y, count: many }
          b:
            type: test_ecko
          c:
            type: test_thing
            properties: { name: x }
        """)
        #expect(result.configuration == nil)
        #expect(headlines == [
            #"main.yaml:3:11: error: missing required attribute "input" for test_echo"#,
            #"main.yaml:4:19: error: unknown attribute "inptu" for test_echo (did you mean "input"?)"#,
            #"main.yaml:4:29: error: attribute "output" is computed and cannot be set"#,
            #"main.yaml:4:47: error: invalid value for attribute "count": expected number, got string"#,
            #"main.yaml:6:11: error: unknown data source type "test_ecko" (did you mean "test_echo"?)"#,
            #"main.yaml:8:11: error: unknown data source type "test_thing" (test_thing is a resource type; declare it under resources:)"#,
        ])
    }

    @Test func refusesForEachCountAndResourceOptions() throws {
        let (_, headlines) = try load("""
        data:
          a:
            type: test_echo
            for_each: [x, y]
            count: 2
            properties: { input: x }
            options: { prevent_destroy: true, depends_on: [nothing], provder: p }
        """)
        #expect(headlines == [
            #"main.yaml:4:5: error: data source "a" cannot have for_each: a data source is read once and has no instances"#,
            #"main.yaml:5:5: error: data source "a" cannot have count: a data source is read once and has no instances"#,
            #"main.yaml:7:16: error: option "prevent_destroy" is for resources; a data source takes depends_on and provider"#,
            #"main.yaml:7:52: error: depends_on names unknown resource "nothing""#,
            #"main.yaml:7:62: error: unknown option "provder" (did you mean "provider"?)"#,
        ])
    }

    @Test func reportsUnknownDataSourcesAndAttributesInReferences() throws {
        let (_, headlines) = try load("""
        data:
          greeting:
            type: test_echo
            properties: { input: "${data.greting.output}" }
        resources:
          site:
            type: test_thing
            properties:
              name: "${data.greeting.outptu}"
              tags: { a: "${data.greeting[0].output}", b: "${data.greeting}" }
        """)
        #expect(headlines == [
            #"main.yaml:4:27: error: reference to unknown data source "greting" (did you mean "greeting"?)"#,
            #"main.yaml:9:14: error: unknown attribute "outptu" for data source test_echo in reference data.greeting.outptu (did you mean "output"?)"#,
            #"main.yaml:10:19: error: invalid interpolation "${data.greeting[0].output}": data source "greeting" has no instances: data sources take no for_each or count"#,
            #"main.yaml:10:52: error: invalid interpolation "${data.greeting}": a data source reference names an attribute: data.greeting.ATTRIBUTE"#,
        ])
    }

    @Test func namesACycleThroughADataSource() throws {
        let (result, headlines) = try load("""
        data:
          lookup:
            type: test_echo
            properties: { input: "${site.id}" }
        resources:
          site:
            type: test_thing
            properties: { name: "${data.lookup.output}" }
        """)
        #expect(result.configuration == nil)
        #expect(headlines == [#"main.yaml:2:3: error: dependency cycle: data.lookup -> site -> data.lookup"#])
    }

    @Test func marksReferencesToSensitiveDataAttributesSensitive() throws {
        let (result, headlines) = try load("""
        data:
          greeting:
            type: test_echo
            properties: { input: hello }
        resources:
          site:
            type: test_thing
            properties: { name: "${data.greeting.output}", tags: { t: "x-${data.greeting.token}" } }
        """)
        #expect(headlines.isEmpty, "\(headlines)")
        let site = try #require(result.configuration?.specs.first)
        #expect(site.sensitivePaths == [AttributePath(parsing: "tags.t")].compactMap { $0 })
    }

    @Test func reservesTheNameDataForDataSources() throws {
        let (_, headlines) = try load("resources:\n  data:\n    type: test_thing\n    properties: { name: x }\n")
        #expect(headlines == [#"main.yaml:2:3: error: "data" cannot name a resource: ${data.NAME.ATTRIBUTE} refers to data sources"#])
    }

    @Test func readsDataRoutesBeforeSchemasAreKnown() throws {
        let directory = try TemporaryDirectory(files: ["main.yaml": """
        providers:
          other: { source: example/other }
        data:
          a: { type: remote_lookup, properties: { key: k }, options: { provider: other } }
          b: { type: test_echo, properties: { input: x }, options: { provider: missing } }
        """])
        defer { directory.remove() }
        let requirements = ConfigLoader(catalog: SchemaCatalog([])).providerRequirements(directory: directory.path)
        #expect(requirements.dataRoutes == ["remote_lookup": "other"])
        #expect(requirements.routes.isEmpty)
        #expect(requirements.diagnostics.map(\.summary)
            == [#"data source "b" asks for provider "missing", which no provider block declares"#])
    }
}
