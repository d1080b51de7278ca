import Foundation
import Testing
@testable import TendConfig
import TendModel

/// Sensitivity travels at config time: through references (transitively), sensitive variables and for_each.
@Suite struct SensitivityDerivationTests {
    static let catalog = SchemaCatalog(TestCatalog.catalog.schemas.values.sorted { $0.type < $1.type } + [
        ResourceSchema(type: "test_secret", attributes: [
            "name": AttributeSchema(.string, .optional),
            "password": AttributeSchema(.string, .optional, sensitive: true),
        ]),
    ])

    private func load(_ manifest: String) throws -> LoadResult {
        let directory = try TemporaryDirectory(files: ["main.yaml": manifest])
        defer { directory.remove() }
        return ConfigLoader(catalog: Self.catalog).load(directory: directory.path, variables: [:], varFiles: [],
                                                       environment: [:])
    }

    private func paths(_ result: LoadResult, _ address: String) throws -> [String] {
        let configuration = try #require(result.configuration, "\(result.diagnostics.map(\.headline))")
        let spec = try #require(configuration.specs.first { $0.address.description == address })
        return spec.sensitivePaths.map(\.description)
    }

    @Test func referencesToSensitiveValuesAreSensitiveThroughEveryHop() throws {
        let result = try load("""
        resources:
          secret:
            type: test_secret
            properties: { name: plain, password: hunter2 }
          first:
            type: local_file
            properties: { path: /tmp/a, content: "x ${secret.password}" }
          second:
            type: test_thing
            properties:
              name: "${first.content}"
              tags: { owner: me, copy: "${second_hop.name}" }
          second_hop:
            type: test_thing
            properties: { name: "${first.content}" }
          plain:
            type: local_file
            properties: { path: "/tmp/${secret.name}", content: "${first.path}" }
        """)
        #expect(try paths(result, "secret") == ["password"])
        #expect(try paths(result, "first") == ["content"])
        #expect(try paths(result, "second_hop") == ["name"])
        #expect(try paths(result, "second") == ["name", "tags.copy"])
        #expect(try paths(result, "plain") == [])
    }

    @Test func aReferenceToAWholeObjectHoldingASecretIsSensitive() throws {
        let result = try load("""
        resources:
          secret:
            type: test_secret
            properties: { password: hunter2 }
          thing:
            type: test_thing
            properties: { tags: { a: "${secret.password}" } }
          whole:
            type: test_thing
            properties: { tags: "${thing.tags}", ports: [1, 2] }
          part:
            type: test_thing
            properties: { name: "${thing.tags.b}" }
        """)
        #expect(try paths(result, "thing") == ["tags.a"])
        #expect(try paths(result, "whole") == ["tags"])
        #expect(try paths(result, "part") == [])
    }

    @Test func sensitiveVariablesAndForEachOverThemMarkWhatUsesThem() throws {
        let result = try load("""
        variables:
          password: { default: hunter2, sensitive: true }
          users: { default: { alice: a-secret, bob: b-secret }, sensitive: true }
          plain: { default: visible }
        resources:
          conf:
            type: test_thing
            properties: { name: "${var.plain}", tags: { pw: "pw=${var.password}", who: "${var.plain}" } }
          user:
            type: test_thing
            for_each: "${var.users}"
            properties: { name: "${each.value}", tags: { fixed: x } }
        """)
        #expect(try paths(result, "conf") == ["tags.pw"])
        #expect(try paths(result, "user[\"alice\"]") == ["name"])
    }

    @Test func aSensitiveListCannotBeAForEach() throws {
        let result = try load("""
        variables:
          names: { default: [a, b], sensitive: true }
        resources:
          user:
            type: test_thing
            for_each: "${var.names}"
            properties: { name: "${each.value}" }
        """)
        #expect(result.configuration == nil)
        #expect(result.diagnostics.contains { $0.headline.contains("for_each over a sensitive list") },
                "\(result.diagnostics.map(\.headline))")
    }

    @Test func oldPlanFilesWithoutMarksStillDecode() throws {
        let spec = ResourceSpec(address: ResourceAddress(name: "a"), type: "local_file", provider: "local", properties: [:],
                                sensitivePaths: [AttributePath(keys: "content")])
        let encoded = try JSONEncoder().encode(spec)
        var object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        #expect(object["sensitivePaths"] != nil)
        object["sensitivePaths"] = nil
        let old = try JSONDecoder().decode(ResourceSpec.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(old.sensitivePaths.isEmpty)
        #expect(try JSONDecoder().decode(ResourceSpec.self, from: encoded) == spec)
    }
}
