import Foundation
import PropertyBased
import Testing
import TendModel

/// Sets are a value type: equal whatever the order of their elements, typed by the schema, and kept through
/// saved plans (with unknowns) and canonical JSON.
@Suite struct ValueSetTests {
    static let rule = AttributeType.object(["port": .number, "cidr_blocks": .set(.string)])

    @Test func equalityIgnoresOrderAndRepeats() {
        let a = Value.set(of: [.string("b"), .string("a"), .string("a")])
        let b = Value.set(of: [.string("a"), .string("b")])
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.elements == [.string("a"), .string("b")])
        #expect(a != .list([.string("a"), .string("b")]))
        #expect(Value.set(of: [.unknown, .null]).elements?.count == 2)
    }

    /// A schema types the values of its set attributes (and nothing else): other attributes, and keys it does not
    /// know, come back as they were.
    @Test func aSchemaTypesOnlyItsSetAttributes() {
        let schema = ResourceSchema(type: "test_group", attributes: [
            "name": AttributeSchema(.string, .required),
            "members": AttributeSchema(.set(.string), .optional),
            "order": AttributeSchema(.list(.string), .optional),
        ])
        let values: [String: Value] = ["name": "g", "members": .list(["b", "a"]), "order": .list(["b", "a"]),
                                       "extra": .list(["y", "x"])]
        let typed = schema.typed(values)
        #expect(typed["members"] == Value.set(of: ["a", "b"]))
        guard case .set? = typed["members"] else {
            Issue.record("members is not a set: \(String(describing: typed["members"]))")
            return
        }
        #expect(typed["order"] == .list(["b", "a"]))
        #expect(typed["extra"] == .list(["y", "x"]))
        #expect(typed["name"] == "g")
        #expect(typed.count == values.count)
        #expect(schema.typed(["name": "g"]) == ["name": "g"])
    }

    @Test func schemaTypesListsAsSetsAtAnyDepth() {
        let type = AttributeType.set(ValueSetTests.rule)
        let declared = Value.list([
            .map(["port": 443, "cidr_blocks": .list(["10.0.0.0/8", "192.168.0.0/16"])]),
            .map(["port": 22, "cidr_blocks": .list(["10.0.0.0/8"])]),
        ])
        let observed = Value.list([
            .map(["port": 22, "cidr_blocks": .list(["10.0.0.0/8"])]),
            .map(["port": 443, "cidr_blocks": .list(["192.168.0.0/16", "10.0.0.0/8"])]),
        ])
        #expect(declared != observed)
        #expect(type.typed(declared) == type.typed(observed))
        guard case let .set(rules) = type.typed(declared), case .set? = rules.elements.first?.mapValue?["cidr_blocks"] else {
            Issue.record("the rules and their cidr_blocks are not sets: \(type.typed(declared))")
            return
        }
        // A list attribute stays ordered.
        #expect(AttributeType.list(.string).typed(.list(["b", "a"])) == .list(["b", "a"]))
        #expect(type.mismatch(for: declared) == nil)
        #expect(type.mismatch(for: type.typed(declared)) == nil)
    }

    @Test func schemaTypesOnlyItsSetAttributes() {
        let schema = ResourceSchema(type: "test_group", attributes: [
            "ingress": AttributeSchema(.set(ValueSetTests.rule), .optional),
            "names": AttributeSchema(.list(.string), .optional),
        ])
        let typed = schema.typed(["ingress": .list([.map(["port": 1])]), "names": .list(["z", "a"]), "other": .list(["q"])])
        #expect(typed["ingress"] == .set(of: [.map(["port": 1])]))
        #expect(typed["names"] == .list(["z", "a"]))
        #expect(typed["other"] == .list(["q"]))
    }

    @Test func canonicalJSONWritesTheCanonicalOrder() throws {
        let value = Value.set(of: [.number(3), .number(1), .number(2)])
        #expect(value.canonicalJSON == "[1,2,3]")
        #expect(try JSONValueParser.parse(value.canonicalJSON) == .list([1, 2, 3]))
    }

    @Test func pathsIntoASetFollowItsCanonicalOrder() {
        var attributes: [String: Value] = ["s": .set(of: [.map(["k": "b"]), .map(["k": "a"])])]
        #expect(attributes.value(at: AttributePath([.key("s"), .index(0), .key("k")])) == .string("a"))
        attributes.set(.string("c"), at: AttributePath([.key("s"), .index(0), .key("k")]))
        #expect(attributes["s"] == .set(of: [.map(["k": "b"]), .map(["k": "c"])]))
        let marks = SensitiveMarks([AttributePath([.key("s"), .index(1)])])
        #expect(marks.redacting(attributes, marker: "***")["s"] == .list([.map(["k": "b"]), "***"]))
    }

    /// Any value, sets and unknowns included, comes back equal through Codable (what saved plans use), and a map
    /// that happens to use the marker key is still a map.
    @Test func roundTripsThroughCodable() async {
        await propertyCheck(count: 300, input: ValueSetTests.values) { value in
            let decoded = try JSONDecoder().decode(Value.self, from: try JSONEncoder().encode(value))
            #expect(decoded == value)
        }
    }

    @Test func codableKeepsUnknownsSetsAndMarkerLookalikes() throws {
        let value = Value.map([
            "id": .unknown,
            "groups": .set(of: ["sg-2", "sg-1"]),
            "tags": .map(["$tend": "unknown"]),
            "nested": .list([.unknown, .set(of: [.unknown])]),
        ])
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(Value.self, from: data) == value)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Value.self, from: Data(#"{"$tend":"mystery"}"#.utf8))
        }
        // Plans written before unknowns were kept read as they always did.
        #expect(try JSONDecoder().decode(Value.self, from: Data(#"{"a":[1,null]}"#.utf8)) == .map(["a": .list([1, .null])]))
    }

    /// Random values: scalars, unknowns, lists, sets and maps (some keyed with the marker), three levels deep.
    static var values: Generator<Value, some SendableSequenceType> {
        let key = Gen.oneOf(Gen.letterOrNumber.string(of: 0...4), Gen.always("$tend"), Gen.always("elements"))
        let scalar = Gen.oneOf(
            Gen.always(Value.null), Gen.always(Value.unknown), Gen.bool().map(Value.bool),
            Gen.int(in: -1000...1000).map { Value.number(Number($0)) },
            Gen.letterOrNumber.string(of: 0...6).map(Value.string),
            Gen.always(Value.string("unknown")))
        func level<S>(_ inner: Generator<Value, S>) -> Generator<Value, some SendableSequenceType> {
            Gen.oneOf(
                inner,
                inner.array(of: 0...4).map(Value.list),
                inner.array(of: 0...4).map { Value.set(of: $0) },
                zip(key.array(of: 0...4), inner.array(of: 4)).map { keys, items in
                    Value.map(Dictionary(zip(keys, items), uniquingKeysWith: { first, _ in first }))
                })
        }
        return level(level(level(scalar)))
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .number(Number(value)) }
}
