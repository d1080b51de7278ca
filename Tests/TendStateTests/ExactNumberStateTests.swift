import Foundation
import PropertyBased
@testable import TendState
import TendModel
import TendStateTesting
import Testing

/// Numbers come back from state exactly as they went in: no rounding through a double, whatever their size.
@Suite struct ExactNumberStateTests {
    /// Attribute maps of numbers with up to 40 significant digits and exponents far beyond a double's.
    static let attributes = {
        let digits = Gen.character(in: "0"..."9").string(of: 1...40)
        let number = zip(Gen.bool(), digits, Gen.int(in: -400...400)).compactMap { negative, digits, exponent in
            Number(parsing: (negative ? "-" : "") + digits + "e" + String(exponent))
        }
        return zip(number.array(of: 0...8), number, Gen.letterOrNumber.string(of: 1...8))
            .map { numbers, single, key -> [String: Value] in
                ["numbers": .list(numbers.map(Value.number)), key: .map(["n": .number(single)]), "single": .number(single)]
            }
    }()

    @Test func roundTripsAttributesThroughStateJSON() async {
        await propertyCheck(count: 300, input: Self.attributes) { attributes throws in
            let text = StateJSON.encode(attributes)
            #expect(try StateJSON.decodeAttributes(text, column: "attributes") == attributes)
            #expect(try JSONValueParser.parse(text) == .map(attributes))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func storesExactNumbers(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = kind.makeStore(in: directory)
        var record = StateSample.record(ResourceAddress(name: "exact"))
        let texts = ["9007199254740993", "12345678901234567890.5", "1e300", "-0.1", "123456789012345678901234567890"]
        record.attributes = ["numbers": .list(try texts.map { .number(try #require(Number(parsing: $0))) })]
        try store.put(record, history: nil)
        let read = try #require(try store.resource(record.address))
        #expect(read.attributes == record.attributes)
        #expect(read.attributes["numbers"]?.canonicalJSON
                == "[9007199254740993,12345678901234567890.5,1e300,-0.1,1.2345678901234567890123456789e29]")
    }

    @Test func rejectsPathIndexesThatAreNotSmallWholeNumbers() throws {
        for text in [#"[["a",1e300]]"#, #"[["a",-1]]"#, #"[["a",1.5]]"#] {
            #expect(throws: StateError.self) { try StateJSON.decodePaths(text, column: "sensitive_paths") }
        }
        #expect(try StateJSON.decodePaths(#"[["a",2]]"#, column: "sensitive_paths") == [AttributePath([.key("a"), .index(2)])])
    }
}
