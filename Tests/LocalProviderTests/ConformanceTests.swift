import LocalProvider
import ProviderKit
import ProviderKitTesting
import TendModel
import Testing

@Suite struct ConformanceTests {
    @Test func localProviderConformsForEveryType() async throws {
        try await withTemporaryDirectory { dir in
            try write("copied bytes\n", to: dir + "/source.txt")
            let cases = [
                ConformanceCase(
                    type: "local_file", address: ResourceAddress(name: "file"),
                    desired: ["path": .string("conf/a.txt"), "content": .string("hello\n"), "mode": .string("644")],
                    updated: ["path": .string("conf/a.txt"), "content": .string("bye\n"), "mode": .string("0600")],
                    unknownID: dir + "/missing.txt",
                    invalidDesired: ["path": .string("x.txt"), "content": .string("a"), "source": .string("source.txt")]),
                ConformanceCase(
                    type: "local_file", address: ResourceAddress(name: "copy"),
                    desired: ["path": .string("copy.txt"), "source": .string("source.txt")],
                    updated: ["path": .string("copy.txt"), "sensitive_content": .string("secret")],
                    unknownID: dir + "/nothing/here.txt",
                    invalidDesired: ["path": .string("y.txt"), "source": .string("absent.txt")]),
                ConformanceCase(
                    type: "local_directory", address: ResourceAddress(name: "dir"),
                    desired: ["path": .string("a/b/c"), "mode": .string("0750")],
                    updated: ["path": .string("a/b/c"), "mode": .string("700")],
                    unknownID: dir + "/no-such-dir",
                    invalidDesired: ["path": .string("d"), "mode": .string("9z")]),
                ConformanceCase(
                    type: "local_symlink", address: ResourceAddress(name: "link"),
                    desired: ["path": .string("current"), "target": .string("releases/1")],
                    updated: ["path": .string("current"), "target": .string("releases/2")],
                    unknownID: dir + "/no-such-link",
                    invalidDesired: ["path": .string("broken")]),
            ]
            let suite = ConformanceSuite(provider: LocalProvider(), context: context(dir), cases: cases)
            let failures = await suite.run()
            #expect(failures == [])
        }
    }

    @Test func inMemoryProviderConforms() async throws {
        let provider = InMemoryProvider()
        let sample = ConformanceCase(
            type: "mem_thing", address: ResourceAddress(name: "thing", key: .string("a")),
            desired: ["name": .string("a"), "value": .string("1"), "tags": .map(["env": .string("dev")]), "secret": .string("s")],
            updated: ["name": .string("a"), "value": .string("2"), "tags": .map(["env": .string("prod")])],
            unknownID: "mem_thing-999",
            invalidDesired: ["value": .string("no name")])
        let probes = [
            ErrorProbe(name: "injected transient create", type: "mem_thing", expecting: .transient) { provider, context in
                _ = try await provider.create(type: "mem_thing", address: ResourceAddress(name: "flaky"),
                                              desired: ["name": .string("flaky")], context: context)
            },
            ErrorProbe(name: "unknown type", type: "mem_other", expecting: .terminal) { provider, context in
                _ = try await provider.plan(type: "mem_other", desired: [:], context: context)
            },
        ]
        await provider.failCreate(address: ResourceAddress(name: "flaky"), with: .transient(times: 1))
        let suite = ConformanceSuite(provider: provider, context: context("/"), cases: [sample], errorProbes: probes)
        #expect(await suite.run() == [])
        #expect(await provider.callCount(.create) == 3)
    }

    @Test func suiteReportsAProviderThatBreaksTheContract() async {
        let provider = InMemoryProvider()
        await provider.failDelete(id: "mem_thing-1", with: .terminal())
        let sample = ConformanceCase(
            type: "mem_thing", address: ResourceAddress(name: "thing"),
            desired: ["name": .string("a")], updated: ["name": .string("b")], unknownID: "none")
        let failures = await ConformanceSuite(provider: provider, context: context("/"), cases: [sample]).run()
        #expect(failures.map(\.check).contains(.updateApplies))
        #expect(failures.map(\.check).contains(.deleteRemoves))
    }
}
