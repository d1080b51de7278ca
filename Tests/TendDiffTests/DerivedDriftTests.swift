import Foundation
import TendDiff
import TendModel
import Testing

/// One finding per cause: computed attributes derived from a changed one are its context.
@Suite struct DerivedDriftTests {
    static let schema = ResourceSchema(type: "test_file", attributes: [
        "path": AttributeSchema(.string, .required, forceNew: true),
        "content": AttributeSchema(.string, .optional),
        "source": AttributeSchema(.string, .optional),
        "mode": AttributeSchema(.string, .optional),
        "sha256": AttributeSchema(.string, .computed, derivedFrom: ["content", "source"]),
        "size": AttributeSchema(.number, .computed, derivedFrom: ["content", "source"]),
    ])
    let differ = Differ(schema: DerivedDriftTests.schema)
    let address = ResourceAddress(name: "f")

    func drift(_ recorded: [String: Value], _ observed: [String: Value]) throws -> DriftChange {
        let record = ResourceRecord(address: address, type: "test_file", provider: "test", id: "f", attributes: recorded,
                                    updatedAt: Date(timeIntervalSince1970: 0))
        return try #require(differ.drift(address: address, provider: "test", record: record, observation: .present(observed), options: .init()))
    }

    @Test func contentChangeCarriesShaAndSizeAsContext() throws {
        let recorded: [String: Value] = ["path": .string("p"), "content": .string("a"), "mode": .string("0644"),
                                         "sha256": .string("1"), "size": .number(1)]
        var observed = recorded
        observed["content"] = .string("bb")
        observed["sha256"] = .string("2")
        observed["size"] = .number(2)
        observed["mode"] = .string("0600")
        let change = try drift(recorded, observed)
        #expect(change.attributes.map(\.path.description) == ["content", "mode"])
        #expect(change.attributes.first?.context.map(\.path.description) == ["sha256", "size"])
        #expect(change.attributes.first?.context.last?.actual == .number(2))
        #expect(change.attributes.last?.context.isEmpty == true)
    }

    @Test func derivedChangesWithoutTheirSourceGatherUnderTheFirst() throws {
        let recorded: [String: Value] = ["path": .string("p"), "source": .string("src.txt"), "sha256": .string("1"), "size": .number(1)]
        var observed = recorded
        observed["sha256"] = .string("2")
        observed["size"] = .number(3)
        let change = try drift(recorded, observed)
        #expect(change.attributes.map(\.path.description) == ["sha256"])
        #expect(change.attributes.first?.context.map(\.path.description) == ["size"])
    }

    @Test func aDerivedAttributeAloneIsStillAFinding() throws {
        let recorded: [String: Value] = ["path": .string("p"), "content": .string("a"), "sha256": .string("1"), "size": .number(1)]
        var observed = recorded
        observed["size"] = .number(9)
        let change = try drift(recorded, observed)
        #expect(change.attributes.map(\.path.description) == ["size"])
        #expect(change.attributes.first?.context.isEmpty == true)
    }
}
