import Foundation
import Testing
@testable import TendConfig
import TendModel

@Suite struct ConfigLoaderTests {
    private func load(_ files: [String: String], variables: [String: String] = [:],
                      environment: [String: String] = [:]) throws -> (LoadResult, String) {
        let directory = try TemporaryDirectory(files: files)
        defer { directory.remove() }
        let result = directory.load(variables: variables, environment: environment)
        return (result, directory.path)
    }

    private func spec(_ configuration: Configuration, _ address: String) throws -> ResourceSpec {
        try #require(configuration.specs.first { $0.address.description == address })
    }

    @Test func mergesSeveralFilesSortedByAddress() throws {
        let (result, directory) = try load([
            "a.yaml": "resources:\n  zeta:\n    type: local_directory\n    properties: { path: /tmp/z }\n",
            "b.yml": "resources:\n  alpha:\n    type: local_file\n    properties: { path: /tmp/a }\n",
            "c.json": #"{"resources": {"mid": {"type": "local_directory", "properties": {"path": "/tmp/m"}}}}"#,
            "notes.txt": "ignored",
        ])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.headline))")
        let configuration = try #require(result.configuration)
        #expect(configuration.specs.map(\.address.description) == ["alpha", "mid", "zeta"])
        #expect(configuration.specs.map(\.provider) == ["local", "local", "local"])
        #expect(result.sources.keys.sorted() == ["a.yaml", "b.yml", "c.json"].map { directory + "/" + $0 })
        #expect(configuration.stack == nil, "without stack: the id recorded with the state is used, not the folder name")
        #expect(configuration.defaultDriftPolicy == .report)
    }

    /// A spec knows which properties the manifest wrote: refresh reads those, not the defaults filled in beside them.
    @Test func specsDeclareTheWrittenPropertiesNotTheFilledInDefaults() throws {
        let (result, _) = try load(["main.yaml": """
            resources:
              site:
                type: local_file
                properties: { path: /tmp/site.txt, content: hello }
              private:
                type: local_file
                count: 2
                properties: { path: "/tmp/private${count.index}.txt", mode: "0600" }
            """])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.headline))")
        let site = try spec(try #require(result.configuration), "site")
        #expect(site.declaredProperties == ["content", "path"])
        #expect(site.properties["mode"] == .literal(.string("0644")), "the default is still filled in")
        #expect(site.declaredAttributeNames == ["content", "path"])
        for index in 0..<2 {
            let written = try spec(try #require(result.configuration), "private[\(index)]")
            #expect(written.properties["mode"] == .literal(.string("0600")), "a written value is not replaced by the default")
            #expect(written.properties.count == 2)
        }
    }

    /// Thousands of instances are built in parallel chunks: the result is every instance once, in address order,
    /// with each instance's own values, and a problem shared by every instance is reported once.
    @Test func expandsLargeDeclarationsInAddressOrder() throws {
        let keys = (0..<700).map { "k\(($0 * 37) % 700)" }   // a for_each list in scrambled order
        let (result, _) = try load([
            "main.yaml": """
            resources:
              zz:
                type: local_file
                count: 1500
                properties: { path: "/tmp/zz/${count.index}", content: "${count.index}" }
              aa:
                type: local_file
                for_each: [\(keys.joined(separator: ", "))]
                properties: { path: "/tmp/aa/${each.key}", mode: "${each.value}" }
              mm:
                type: local_directory
                count: 300
                properties: { path: "/tmp/mm/${count.index}", mode: "${var.missing}" }
            """,
        ])
        #expect(result.diagnostics.map(\.summary) == [#"unknown variable "missing""#])
        #expect(result.configuration == nil)
        let (loaded, _) = try load([
            "main.yaml": "resources:\n  zz:\n    type: local_file\n    count: 1500\n    properties: { path: \"/tmp/zz/${count.index}\" }\n"
                + "  aa:\n    type: local_file\n    for_each: [\(keys.joined(separator: ", "))]\n    properties: { path: \"/tmp/aa/${each.key}\" }\n",
        ])
        let specs = try #require(loaded.configuration).specs
        #expect(specs.count == 2200)
        #expect(specs.map(\.address) == specs.map(\.address).sorted())
        #expect(Set(specs.map(\.address)).count == 2200)
        for spec in specs {
            let expected: String
            switch spec.address.key {
            case let .index(i)?: expected = "/tmp/zz/\(i)"
            case let .string(k)?: expected = "/tmp/aa/\(k)"
            case nil: expected = "?"
            }
            #expect(spec.properties["path"] == .literal(.string(expected)))
        }
    }

    @Test func appliesVariablePrecedence() throws {
        let directory = try TemporaryDirectory(files: [
            "main.yaml": """
            variables:
              a: { default: from-default }
              b: { default: from-default }
              c: { default: from-default }
              port: { type: number }
            resources:
              f:
                type: test_thing
                properties: { name: "${var.a}-${var.b}-${var.c}", ports: ["${var.port}"] }
            """,
            "vars.yaml.in": "b: from-file\nc: from-file\nport: 8080\n",
        ])
        defer { directory.remove() }
        let result = directory.load(variables: ["c": "from-cli"], varFiles: [directory.file("vars.yaml.in")])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.headline))")
        let configuration = try #require(result.configuration)
        let f = try spec(configuration, "f")
        #expect(f.properties["name"] == .literal(.string("from-default-from-file-from-cli")))
        #expect(f.properties["ports"] == .literal(.list([.number(8080)])))
        #expect(configuration.variables["port"] == .number(8080))
    }

    @Test func coercesCommandLineVariablesToTheDeclaredType() throws {
        let (result, _) = try load([
            "main.yaml": """
            variables:
              n: { type: number }
              names: { type: list }
              on: { type: bool }
            resources:
              t: { type: test_thing, properties: { ports: ["${var.n}"], enabled: "${var.on}" } }
            """,
        ], variables: ["n": "3", "names": "[a, b]", "on": "true"])
        let configuration = try #require(result.configuration)
        #expect(configuration.variables["n"] == .number(3))
        #expect(configuration.variables["names"] == .list([.string("a"), .string("b")]))
        #expect(try spec(configuration, "t").properties["enabled"] == .literal(.bool(true)))
    }

    @Test func interpolatesEnvironmentAndProviders() throws {
        let (result, _) = try load([
            "main.yaml": """
            variables:
              region: { default: eu-west-1 }
            providers:
              aws: { region: "${var.region}", endpoint: "${env.AWS_ENDPOINT_URL}", retries: 3 }
              local: {}
            resources:
              f: { type: local_file, properties: { path: "${env.HOME}/x", content: "$${literal}" } }
            """,
        ], environment: ["HOME": "/home/me"])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.headline))")
        let configuration = try #require(result.configuration)
        #expect(configuration.providers["aws"] == ["region": .string("eu-west-1"), "endpoint": .string(""), "retries": .number(3)])
        #expect(configuration.providers["local"] == [:])
        let f = try spec(configuration, "f")
        #expect(f.properties["path"] == .literal(.string("/home/me/x")))
        #expect(f.properties["content"] == .literal(.string("${literal}")))
    }

    @Test func expandsForEachListAndMap() throws {
        let (result, _) = try load([
            "main.yaml": """
            resources:
              site:
                type: local_file
                for_each: [b, a]
                properties: { path: "/srv/${each.key}.conf", content: "${each.value}" }
              user:
                type: test_thing
                for_each: { ann: { port: 80 }, bob: { port: 81 } }
                properties: { name: "${each.key}", ports: ["${each.value.port}"] }
            """,
        ])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.headline))")
        let configuration = try #require(result.configuration)
        #expect(configuration.specs.map(\.address.description) == [#"site["a"]"#, #"site["b"]"#, #"user["ann"]"#, #"user["bob"]"#])
        #expect(try spec(configuration, #"site["b"]"#).properties["path"] == .literal(.string("/srv/b.conf")))
        #expect(try spec(configuration, #"user["bob"]"#).properties["ports"] == .literal(.list([.number(81)])))
    }

    @Test func expandsCountAndForEachFromVariables() throws {
        let (result, _) = try load([
            "main.yaml": """
            variables:
              n: { default: 2 }
              dirs: { default: [x, y] }
            resources:
              disk: { type: local_directory, count: "${var.n}", properties: { path: "/d/${count.index}" } }
              dir: { type: local_directory, for_each: "${var.dirs}", properties: { path: "/e/${each.value}" } }
            """,
        ])
        let configuration = try #require(result.configuration)
        #expect(configuration.specs.map(\.address.description) == [#"dir["x"]"#, #"dir["y"]"#, "disk[0]", "disk[1]"])
        #expect(try spec(configuration, "disk[1]").properties["path"] == .literal(.string("/d/1")))
    }

    @Test func keepsTheTypeOfASingleInterpolation() throws {
        let (result, _) = try load([
            "main.yaml": """
            variables:
              ports: { default: [80, 443] }
              tags: { default: { team: infra } }
            resources:
              t: { type: test_thing, properties: { ports: "${var.ports}", tags: "${var.tags}", name: "${var.ports[1]}" } }
            """,
        ])
        let t = try spec(try #require(result.configuration), "t")
        #expect(t.properties["ports"] == .literal(.list([.number(80), .number(443)])))
        #expect(t.properties["tags"] == .literal(.map(["team": .string("infra")])))
        #expect(t.properties["name"] == .literal(.string("443")))
    }

    @Test func turnsReferencesIntoExpressionsAndDependencies() throws {
        let (result, _) = try load([
            "main.yaml": """
            resources:
              src: { type: local_file, for_each: [a, b], properties: { path: "/s/${each.key}" } }
              one: { type: local_file, properties: { path: /one } }
              link:
                type: local_symlink
                properties:
                  path: ${one.path}
                  target: '/x/${src["a"].sha256}/${one.size}'
                options: { depends_on: [src] }
            """,
        ])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.headline))")
        let link = try spec(try #require(result.configuration), "link")
        guard case let .reference(r)? = link.properties["path"] else {
            Issue.record("expected a reference, got \(String(describing: link.properties["path"]))")
            return
        }
        #expect(r.description == "one.path")
        #expect(r.location?.line == 7)
        #expect(r.location?.column == 13)
        let target = try #require(link.properties["target"])
        #expect(target.references.map(\.description) == [#"src["a"].sha256"#, "one.size"])
        #expect(link.dependencies.map(\.description) == ["one", #"src["a"]"#, #"src["b"]"#])
        #expect(link.options.dependsOn == ["src"])
    }

    @Test func resolvesInstanceKeysFromEachAndCount() throws {
        let (result, _) = try load([
            "main.yaml": """
            resources:
              dir: { type: local_directory, for_each: [a, b], properties: { path: "/d/${each.key}" } }
              file: { type: local_file, for_each: [a, b], properties: { path: '${dir[each.key].path}/f' } }
              disk: { type: local_directory, count: 2, properties: { path: "/disk/${count.index}" } }
              mount: { type: local_symlink, count: 2, properties: { path: "/m/${count.index}", target: "${disk[count.index].path}" } }
            """,
        ])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.headline))")
        let configuration = try #require(result.configuration)
        #expect(try spec(configuration, #"file["b"]"#).dependencies.map(\.description) == [#"dir["b"]"#])
        #expect(try spec(configuration, "mount[1]").dependencies.map(\.description) == ["disk[1]"])
        guard case let .reference(r)? = try spec(configuration, "mount[1]").properties["target"] else {
            Issue.record("expected a reference")
            return
        }
        #expect(r.key == .index(1))
    }

    @Test func appliesSchemaDefaultsAndKeepsPlainScalarsAsText() throws {
        let (result, _) = try load([
            "main.yaml": "resources:\n  f: { type: local_file, properties: { path: /f, content: 0755 } }\n  g: { type: local_file, properties: { path: /g, mode: 0600 } }\n",
        ])
        let configuration = try #require(result.configuration)
        #expect(try spec(configuration, "f").properties["mode"] == .literal(.string("0644")))
        #expect(try spec(configuration, "f").properties["content"] == .literal(.string("0755")))
        #expect(try spec(configuration, "g").properties["mode"] == .literal(.string("0600")))
        #expect(try spec(configuration, "f").properties["sha256"] == nil)
    }

    @Test func readsOptionsStackAndSettings() throws {
        let (result, _) = try load([
            "main.yaml": """
            stack: prod
            settings: { drift: remediate }
            resources:
              a: { type: local_file, properties: { path: /a } }
              b:
                type: test_thing
                options:
                  ignore_changes: [tags.owner, ports]
                  prevent_destroy: true
                  create_before_destroy: true
                  drift: ignore
                  depends_on: [a]
            """,
        ])
        let configuration = try #require(result.configuration)
        #expect(configuration.stack == "prod")
        #expect(configuration.defaultDriftPolicy == .remediate)
        #expect(try spec(configuration, "a").options.drift == .remediate)
        let b = try spec(configuration, "b")
        #expect(b.options == ResourceOptions(dependsOn: ["a"], ignoreChanges: [AttributePath(keys: "tags", "owner"), AttributePath(keys: "ports")],
                                             preventDestroy: true, createBeforeDestroy: true, drift: .ignore))
        #expect(b.dependencies == [ResourceAddress(name: "a")])
    }

    @Test func reportsAMissingDirectory() {
        let result = TestCatalog.loader.load(directory: "/nonexistent/tend-\(UUID().uuidString)", variables: [:], varFiles: [],
                                             environment: [:])
        #expect(result.configuration == nil)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.location == nil)
    }

    @Test(arguments: [
        ("infra", "web.yaml", "infra/web.yaml"),
        ("./infra/", "web.yaml", "infra/web.yaml"),
        (".", "web.yaml", "web.yaml"),
        ("/abs/dir", "a.yml", "/abs/dir/a.yml"),
    ])
    func showsPathsAsTheDirectoryWasGiven(directory: String, file: String, expected: String) {
        #expect(ConfigLoader.displayPath(directory: directory, file: file) == expected)
    }
}
