import Foundation
import PropertyBased
import Testing
import TendModel

@Suite struct NumberTests {
    @Test(arguments: [
        ("0", "0"), ("-0.0", "0"), ("1.0", "1"), ("10e-1", "1"), ("1e3", "1000"), ("+7", "7"), (".5", "0.5"),
        ("1.50", "1.5"), ("-0.000001", "-0.000001"), ("1e-7", "1e-7"), ("1.5E-9", "1.5e-9"),
        ("9007199254740993", "9007199254740993"), ("9223372036854775807", "9223372036854775807"),
        ("-9223372036854775808", "-9223372036854775808"), ("9223372036854775808", "9223372036854775808"),
        ("12345678901234567890.5", "12345678901234567890.5"), ("1e20", "100000000000000000000"), ("1e21", "1e21"),
        ("1e300", "1e300"), ("1E+300", "1e300"), ("-2.5e300", "-2.5e300"),
    ])
    func parsesToCanonicalText(text: String, canonical: String) throws {
        let number = try #require(Number(parsing: text))
        #expect(number.description == canonical)
        #expect(Number(parsing: canonical) == number)
    }

    @Test(arguments: ["", "-", ".", "e5", "1e", "1e+", "0x1F", "1_000", "inf", "nan", "1.2.3", "1e99999999999", " 1"])
    func rejectsWhatIsNotDecimalNumberText(text: String) {
        #expect(Number(parsing: text) == nil)
    }

    @Test func equalityAndHashAreNumeric() throws {
        let one = try #require(Number(parsing: "1.000"))
        #expect(one == Number(1))
        #expect(Set([one, Number(1), 1.0]).count == 1)
        #expect(Value.number(one) == .number(1))
        #expect(Number(parsing: "2e300") != Number(parsing: "1e300"))
    }

    @Test func conversionsAreChecked() throws {
        #expect(Number(42).int64Value == 42)
        #expect(Number(42).intValue == 42)
        #expect(Number(1.5).int64Value == nil)
        #expect(try #require(Number(parsing: "1e300")).int64Value == nil)
        #expect(try #require(Number(parsing: "1e300")).isInteger)
        #expect(try #require(Number(parsing: "9223372036854775808")).intValue == nil)
        #expect(Number(80).int64Value(in: 0...65535) == 80)
        #expect(Number(-2).int64Value(in: -1...65535) == nil)
        #expect(try #require(Number(parsing: "1e400")).doubleValue == .infinity)
        #expect(Number(Double.nan) == nil)
        #expect(Number(Double.infinity) == nil)
        let tenth: Double = 0.1, huge: Double = 1e300
        #expect(Number(tenth)?.description == "0.1")
        #expect(Number(huge)?.description == "1e300")
    }

    @Test func saturatingConversionNeverTraps() {
        #expect(Int(saturating: 1e300) == Int.max)
        #expect(Int64(saturating: -.infinity) == Int64.min)
        #expect(UInt64(saturating: -5) == 0)
        #expect(Int32(saturating: .nan) == 0)
        #expect(Int(saturating: 41.9) == 41)
    }

    @Test(arguments: ["9007199254740993", "12345678901234567890.5", "1e300", "-0.1", "5e-324"])
    func survivesJSONAndCodable(text: String) throws {
        let number = try #require(Number(parsing: text))
        let value = Value.map(["n": .number(number), "l": .list([.number(number)])])
        #expect(try JSONValueParser.parse(value.canonicalJSON) == value)
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(Value.self, from: data) == value)
    }

    /// Numbers of `digits` significant digits times 10 to a power in `exponents`, in lists and maps.
    static func values(digits count: ClosedRange<Int>, exponents: ClosedRange<Int>) -> Generator<Value, some SendableSequenceType> {
        let digits = Gen.character(in: "0"..."9").string(of: count)
        let number = zip(Gen.bool(), digits, Gen.int(in: exponents)).compactMap { negative, digits, exponent in
            Number(parsing: (negative ? "-" : "") + digits + "e" + String(exponent))
        }
        return zip(number.array(of: 0...6), Gen.letterOrNumber.string(of: 0...6).array(of: 0...6), number)
            .map { numbers, keys, single -> Value in
                var map: [String: Value] = ["numbers": .list(numbers.map(Value.number)), "single": .number(single)]
                for (index, key) in keys.enumerated() {
                    map["k" + key] = .map(["n": .number(numbers.first ?? single), "i": .number(Number(index))])
                }
                return .map(map)
            }
    }

    /// Numbers of any size and precision read back from canonical JSON (state, plan JSON) exactly, and equal
    /// values write the same bytes.
    @Test func roundTripsThroughJSONExactly() async {
        await propertyCheck(count: 300, input: NumberTests.values(digits: 1...40, exponents: -400...400)) { value in
            let text = value.canonicalJSON
            let parsed = try JSONValueParser.parse(text)
            #expect(parsed == value)
            #expect(parsed.canonicalJSON == text)
        }
    }

    /// Through Codable (saved plan files) numbers of up to 38 significant digits within Decimal's exponents
    /// come back exactly.
    @Test func roundTripsThroughCodableExactly() async {
        await propertyCheck(count: 300, input: NumberTests.values(digits: 1...30, exponents: -90...90)) { value in
            let decoded = try JSONDecoder().decode(Value.self, from: try JSONEncoder().encode(value))
            #expect(decoded == value)
        }
    }

    @Test func codableRefusesWhatItCannotHoldExactly() throws {
        let long = try #require(Number(parsing: "1234567890123456789012345678901234567890123e300"))
        #expect(throws: EncodingError.self) { try JSONEncoder().encode(Value.number(long)) }
    }
}
