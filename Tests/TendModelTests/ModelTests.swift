import Foundation
import TendModel
import Testing

@Suite struct AttributePathTests {
    @Test(arguments: [
        ("tags.owner", [AttributePath.Component.key("tags"), .key("owner")]),
        ("ingress[0].port", [.key("ingress"), .index(0), .key("port")]),
        ("tags[\"a.b\"]", [.key("tags"), .key("a.b")]),
        ("mode", [.key("mode")]),
    ])
    func parsesPaths(text: String, components: [AttributePath.Component]) throws {
        let path = try #require(AttributePath(parsing: text))
        #expect(path.components == components)
        #expect(AttributePath(parsing: path.description) == path)
    }

    @Test(arguments: ["", ".a", "a.", "a[", "a[x]", "a..b", "a[0]b"])
    func rejectsMalformedPaths(text: String) {
        #expect(AttributePath(parsing: text) == nil)
    }
}

@Suite struct ResourceAddressTests {
    @Test(arguments: ["web", "site[\"a\"]", "disk[3]", "my_res-1"])
    func roundTrips(text: String) throws {
        let address = try #require(ResourceAddress(parsing: text))
        #expect(address.description == text)
    }

    @Test(arguments: ["", "1abc", "a b", "site[", "site[a]", "site[\"a\"", "x]"])
    func rejectsMalformedAddresses(text: String) {
        #expect(ResourceAddress(parsing: text) == nil)
    }

    @Test func sortsNameThenIndexThenKey() {
        let sorted = [ResourceAddress(name: "b"), ResourceAddress(name: "a", key: .string("z")),
                      ResourceAddress(name: "a", key: .index(2)), ResourceAddress(name: "a")].sorted()
        #expect(sorted.map(\.description) == ["a", "a[2]", "a[\"z\"]", "b"])
    }
}

@Suite struct ValueTests {
    /// Every ASCII character, in runs of text and beside multi-byte characters, quotes to JSON that reads back as it was.
    @Test func quotesEveryCharacterSoJSONReadsItBack() throws {
        for code in 0..<0x80 {
            let character = String(UnicodeScalar(UInt8(code)))
            for text in [character, "abc" + character + "déf", character + "😀" + character + "x"] {
                let quoted = Value.quote(text)
                let decoded = try JSONDecoder().decode(String.self, from: Data(quoted.utf8))
                #expect(decoded.utf8.elementsEqual(text.utf8), "\(code)")
            }
        }
    }

    @Test func canonicalJSONSortsKeysAndIsStable() {
        let value = Value.map(["b": .number(1), "a": .list([.bool(true), .null, .string("x\"\n")]), "c": .number(1.5)])
        #expect(value.canonicalJSON == #"{"a":[true,null,"x\"\n"],"b":1,"c":1.5}"#)
    }

    @Test func codableRoundTrip() throws {
        let value = Value.map(["n": .number(3), "s": .string("x"), "l": .list([.bool(false)]), "m": .map(["k": .null])])
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(Value.self, from: data) == value)
    }

    @Test func templatesWithUnknownReferencesAreUnknown() {
        let reference = Reference(name: "vpc", path: AttributePath(keys: "id"))
        let template = Expression.template([.text("id-"), .reference(reference)])
        #expect(template.evaluate { _ in .unknown } == .unknown)
        #expect(template.evaluate { _ in .string("v-1") } == .string("id-v-1"))
        #expect(Expression.reference(reference).evaluate { _ in .number(3) } == .number(3))
    }

    @Test func typeMismatchNamesThePath() throws {
        let type = AttributeType.map(.list(.number))
        let mismatch = try #require(type.mismatch(for: .map(["ports": .list([.number(1), .string("x")])])))
        #expect(mismatch.0.description == "ports[1]")
        #expect(type.mismatch(for: .map(["ports": .list([.number(1), .string("8")])])) == nil)
    }
}

@Suite struct SortedByKeyTests {
    @Test func sortsStablyByKeyLikeTheStandardSort() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 7, 100, 1000] {
            let items = (0..<count).map { (key: Int.random(in: 0..<(count / 3 + 1), using: &generator), order: $0) }
            let ours = items.sorted(byKey: \.key)
            let expected = items.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element)
            #expect(ours.map(\.order) == expected.map(\.order))
            #expect(ours.sorted(byKey: \.key).map(\.order) == ours.map(\.order))
        }
    }
}

@Suite struct JSONValueParserTests {
    @Test(arguments: [
        #"{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"x\"y\\z\n\u00e9\ud83d\ude00"},"d":""}"#,
        #"[]"#, #"{}"#, #""plain""#, #"0"#,
    ])
    func parsesWhatFoundationParses(text: String) throws {
        let fast = try JSONValueParser.parse(text)
        let foundation = try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        #expect(fast == foundation)
        #expect(try JSONValueParser.parse(fast.canonicalJSON) == fast)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1 2", "{\"a\":1,}", "\"\u{01}\"", "-", "[\"\\x\"]"])
    func rejectsMalformedJSON(text: String) {
        #expect(throws: JSONValueParser.SyntaxError.self) { try JSONValueParser.parse(text) }
    }

    /// Strings are scanned eight bytes at a time: put a quote, an escape or a multi-byte character at every offset of
    /// two words, in short and long strings, and compare with Foundation.
    @Test func readsEscapesAndUnicodeAtEveryOffsetOfAWord() throws {
        let specials = [#"\""#, #"\\"#, #"\n"#, #"\t"#, #"\/"#, #"\u00e9"#, #"\ud83d\ude00"#, "é", "😀", "~", "\u{7F}"]
        for special in specials {
            for offset in 0..<17 {
                for tail in [0, 3, 40] {
                    let text = "\"" + String(repeating: "a", count: offset) + special + String(repeating: "b", count: tail) + "\""
                    let fast = try JSONValueParser.parse(text)
                    let foundation = try JSONDecoder().decode(Value.self, from: Data(text.utf8))
                    #expect(fast == foundation, "\(text)")
                }
            }
        }
    }

    @Test func rejectsControlCharactersAndOpenStringsAtEveryOffset() {
        for offset in 0..<17 {
            let prefix = "\"" + String(repeating: "a", count: offset)
            for text in [prefix + "\u{01}\"", prefix + "\u{1F}xx\"", prefix + #"\n"# + "\u{0A}\"", prefix, prefix + #"\n"#, prefix + "\\"] {
                #expect(throws: JSONValueParser.SyntaxError.self, "\(text.debugDescription)") { try JSONValueParser.parse(text) }
            }
        }
    }

    /// Top-level string members byte-equal to a shared string are that string; anything else parses as usual.
    @Test func sharesTopLevelStringsWithTheSameBytes() throws {
        let shared = String(repeating: "a\"b\\c\nd/e\u{8}\u{C}\r\t", count: 8)
        let other = shared + "!"
        let json = Value.map(["same": .string(shared), "longer": .string(other), "shorter": .string(String(shared.dropLast())),
                              "escaped": .string("\u{1}" + shared), "nested": .map(["same": .string(shared)]),
                              "number": .number(1)]).canonicalJSON
        let sharing = ["same": shared, "longer": shared, "shorter": shared, "escaped": "\u{1}" + shared, "nested": shared,
                       "number": shared]
        var bytes = Array(json.utf8)
        let value = try bytes.withUnsafeBufferPointer { try JSONValueParser.parse($0, sharing: SharedStrings.Object(sharing)) }
        #expect(value == (try JSONValueParser.parse(json)))
        guard case let .map(members) = value, case var .string(same)? = members["same"] else {
            Issue.record("not an object with a string")
            return
        }
        var original = shared
        let pointers = (same.withUTF8 { $0.baseAddress }, original.withUTF8 { $0.baseAddress })
        #expect(pointers.0 == pointers.1)
        bytes.removeLast()
        #expect(throws: JSONValueParser.SyntaxError.self) {
            try bytes.withUnsafeBufferPointer { try JSONValueParser.parse($0, sharing: SharedStrings.Object(sharing)) }
        }
    }

    /// Escapes at every place within the eight-byte words the comparison reads, and a one-byte difference at every
    /// place before, at and after them: only the byte-identical text is shared, everything else parses as written.
    @Test func sharesAroundEscapesAtEveryOffsetAndNeverAcrossADifference() throws {
        for length in 0..<20 {
            // Long enough never to be stored inline (a small string has no buffer to share).
            let shared = String(repeating: "x", count: length) + "\n" + String(repeating: "y", count: 20) + "\"z"
            var variants = [shared]
            for position in 0..<shared.utf8.count {
                var bytes = Array(shared.utf8)
                bytes[position] = bytes[position] == UInt8(ascii: "q") ? UInt8(ascii: "r") : UInt8(ascii: "q")
                variants.append(String(decoding: bytes, as: UTF8.self))
            }
            for (index, text) in variants.enumerated() {
                let json = Value.map(["content": .string(text)]).canonicalJSON
                var bytes = Array(json.utf8)
                let value = try bytes.withUnsafeBufferPointer { try JSONValueParser.parse($0, sharing: SharedStrings.Object(["content": shared])) }
                #expect(value == .map(["content": .string(text)]), "length \(length), variant \(index)")
                guard index == 0, case var .string(parsed)? = value.mapValue?["content"] else { continue }
                var original = shared
                #expect(parsed.withUTF8 { $0.baseAddress } == original.withUTF8 { $0.baseAddress }, "shared at length \(length)")
            }
        }
    }

    @Test func rejectsDeepNestingWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONValueParser.SyntaxError.self) { try JSONValueParser.parse(deep) }
    }
}
