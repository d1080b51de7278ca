import Foundation
import TendDiff
import TendModel
import Testing

@Suite struct DifferTests {
    static let schema = ResourceSchema(type: "test_thing", attributes: [
        "name": AttributeSchema(.string, .required, forceNew: true),
        "value": AttributeSchema(.string, .optional),
        "mode": AttributeSchema(.string, .optional, normalisation: .fileMode),
        "policy": AttributeSchema(.string, .optional, normalisation: .json),
        "tags": AttributeSchema(.map(.string), .optional),
        "rules": AttributeSchema(.set(.object(["port": .number, "cidrs": .set(.string)])), .optional),
        "secret": AttributeSchema(.string, .optional, sensitive: true),
        "id": AttributeSchema(.string, .computed),
    ])
    let differ = Differ(schema: DifferTests.schema)
    let address = ResourceAddress(name: "thing")

    func record(_ attributes: [String: Value]) -> ResourceRecord {
        ResourceRecord(address: address, type: "test_thing", provider: "test", id: "t-1", attributes: attributes,
                       updatedAt: Date(timeIntervalSince1970: 0))
    }

    @Test func createMarksComputedAsUnknown() {
        let change = differ.change(address: address, provider: "test", desired: ["name": .string("a")], options: .init(),
                                   record: nil, observation: nil)
        #expect(change.action == .create)
        #expect(change.after?["id"] == .unknown)
    }

    @Test func equalUnderNormalisationIsNoOp() {
        let observed: [String: Value] = ["name": .string("a"), "mode": .string("0644"), "policy": .string(#"{"b":1,"a":[1,2]}"#),
                                         "id": .string("t-1"), "tags": .map([:])]
        let desired: [String: Value] = ["name": .string("a"), "mode": .string("644"), "policy": .string(#"{ "a": [1, 2], "b": 1 }"#)]
        let change = differ.change(address: address, provider: "test", desired: desired, options: .init(),
                                   record: record(observed), observation: .present(observed))
        #expect(change.action == .noop)
    }

    /// A set compares as a set whichever side was read as a list (state is JSON, where a set is an array), at any
    /// depth; a real difference in its elements is still a change and still drift.
    @Test func setsCompareWhateverTheOrderOfTheirElements() throws {
        func rule(_ port: Int, _ cidrs: [String]) -> Value {
            .map(["port": .number(Number(port)), "cidrs": .list(cidrs.map(Value.string))])
        }
        let recorded: [String: Value] = ["name": .string("a"), "id": .string("t-1"),
                                         "rules": .list([rule(22, ["10.0.0.0/8", "192.168.0.0/16"]), rule(443, ["0.0.0.0/0"])])]
        let fromState = try JSONValueParser.parse(Value.map(recorded).canonicalJSON).mapValue ?? [:]
        let observed = DifferTests.schema.typed(["name": .string("a"), "id": .string("t-1"),
                                                 "rules": .list([rule(443, ["0.0.0.0/0"]), rule(22, ["192.168.0.0/16", "10.0.0.0/8"])])])
        let desired: [String: Value] = ["name": .string("a"),
                                        "rules": .list([rule(443, ["0.0.0.0/0"]), rule(22, ["192.168.0.0/16", "10.0.0.0/8"])])]
        #expect(differ.change(address: address, provider: "test", desired: desired, options: .init(),
                              record: record(fromState), observation: .present(fromState)).action == .noop)
        #expect(differ.drift(address: address, provider: "test", record: record(fromState), observation: .present(observed),
                             options: .init()) == nil)

        let widened = desired.merging(["rules": .list([rule(443, ["0.0.0.0/0"]), rule(22, ["10.0.0.0/8"])])]) { $1 }
        let change = differ.change(address: address, provider: "test", desired: widened, options: .init(),
                                   record: record(fromState), observation: .present(observed))
        #expect(change.action == .update)
        #expect(change.changedPaths.map(\.description) == ["rules"])
        let drifted = DifferTests.schema.typed(["name": .string("a"), "id": .string("t-1"), "rules": .list([rule(443, ["0.0.0.0/0"])])])
        #expect(differ.drift(address: address, provider: "test", record: record(fromState), observation: .present(drifted),
                             options: .init())?.attributes.map(\.path.description) == ["rules"])
    }

    @Test func updateListsLeafPathsAndIgnoresIgnoredOnes() {
        let observed: [String: Value] = ["name": .string("a"), "tags": .map(["owner": .string("bob"), "env": .string("dev")]), "id": .string("t-1")]
        let desired: [String: Value] = ["name": .string("a"), "tags": .map(["owner": .string("alice"), "env": .string("prod")])]
        let options = ResourceOptions(ignoreChanges: [AttributePath(keys: "tags", "owner")])
        let change = differ.change(address: address, provider: "test", desired: desired, options: options,
                                   record: record(observed), observation: .present(observed))
        #expect(change.action == .update)
        #expect(change.changedPaths.map(\.description) == ["tags.env"])
    }

    @Test(arguments: [false, true])
    func forceNewChangeReplaces(createBeforeDestroy: Bool) {
        let observed: [String: Value] = ["name": .string("a"), "id": .string("t-1")]
        let change = differ.change(address: address, provider: "test", desired: ["name": .string("b")],
                                   options: ResourceOptions(createBeforeDestroy: createBeforeDestroy),
                                   record: record(observed), observation: .present(observed))
        #expect(change.action == (createBeforeDestroy ? .createThenDelete : .deleteThenCreate))
        #expect(change.replacePaths.map(\.description) == ["name"])
    }

    @Test func goneObjectIsRecreatedAndReportedMissing() throws {
        let attrs: [String: Value] = ["name": .string("a"), "id": .string("t-1")]
        let change = differ.change(address: address, provider: "test", desired: ["name": .string("a")], options: .init(),
                                   record: record(attrs), observation: .absent)
        #expect(change.action == .create)
        let drift = try #require(differ.drift(address: address, provider: "test", record: record(attrs), observation: .absent, options: .init()))
        #expect(drift.kind == .missing)
    }

    @Test func driftComparesEveryRecordedAttributeAndFlagsSensitive() throws {
        let before: [String: Value] = ["name": .string("a"), "secret": .string("x"), "id": .string("t-1"), "value": .string("v")]
        let after: [String: Value] = ["name": .string("a"), "secret": .string("y"), "id": .string("t-1"), "value": .string("w")]
        let drift = try #require(differ.drift(address: address, provider: "test", record: record(before),
                                              observation: .present(after), options: .init()))
        #expect(drift.attributes.map(\.path.description) == ["secret", "value"])
        #expect(drift.attributes.first?.isSensitive == true)
        #expect(differ.drift(address: address, provider: "test", record: record(before), observation: .present(before), options: .init()) == nil)
    }

    @Test func removedFromConfigDeletes() {
        let attrs: [String: Value] = ["name": .string("a"), "id": .string("t-1")]
        let change = differ.change(address: address, provider: "test", desired: nil, options: .init(), record: record(attrs),
                                   observation: .present(attrs))
        #expect(change.action == .delete)
        #expect(change.before == attrs)
    }

    @Test func unknownDesiredValueIsAPlannedChange() {
        let observed: [String: Value] = ["name": .string("a"), "value": .string("old"), "id": .string("t-1")]
        let change = differ.change(address: address, provider: "test", desired: ["name": .string("a"), "value": .unknown],
                                   options: .init(), record: record(observed), observation: .present(observed))
        #expect(change.action == .update)
        #expect(change.changedPaths.map(\.description) == ["value"])
    }
}

@Suite struct VolatileAttributeTests {
    @Test func volatileAttributesNeverDrift() {
        let schema = ResourceSchema(type: "t", attributes: [
            "name": AttributeSchema(.string, .required),
            "state": AttributeSchema(.string, .computed, volatile: true),
        ])
        let record = ResourceRecord(address: ResourceAddress(name: "x"), type: "t", provider: "p", id: "1",
                                    attributes: ["name": .string("a"), "state": .string("pending")],
                                    updatedAt: Date(timeIntervalSince1970: 0))
        let differ = Differ(schema: schema)
        let calm = differ.drift(address: record.address, provider: "p", record: record,
                                observation: .present(["name": .string("a"), "state": .string("running")]), options: .init())
        #expect(calm == nil)
        let real = differ.drift(address: record.address, provider: "p", record: record,
                                observation: .present(["name": .string("b"), "state": .string("running")]), options: .init())
        #expect(real?.attributes.map(\.path.description) == ["name"])
    }
}
