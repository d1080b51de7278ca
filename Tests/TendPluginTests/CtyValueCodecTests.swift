import TendModel
import TendPlugin
import Testing

/// Values go to a plugin as the exact msgpack cty writes, and come back as the same values.
@Suite struct CtyValueCodecTests {
    static func encoded(_ value: Value, _ type: CtyType) throws -> String {
        hexText(try CtyValueCodec.encode(value, as: type))
    }

    @Test(arguments: [CtyType.string, .number, .list(.string), .dynamic, .object(["a": .string])])
    func unknownIsExtensionZeroWithOneZeroByte(type: CtyType) throws {
        #expect(try Self.encoded(.unknown, type) == "d4 00 00")
        #expect(try CtyValueCodec.decode(hex("d4 00 00"), as: type) == .unknown)
    }

    @Test func anyExtensionZeroAndRefinedUnknownsReadAsUnknown() throws {
        #expect(try CtyValueCodec.decode(hex("d5 00 00 00"), as: .string) == .unknown)
        #expect(try CtyValueCodec.decode(hex("c7 04 0c 81 01 c3 00"), as: .number) == .unknown)
        #expect(try CtyValueCodec.decode(hex("d4 0c 00"), as: .list(.bool)) == .unknown)
        #expect(throws: PluginValueError.self) { try CtyValueCodec.decode(hex("d4 05 00"), as: .string) }
    }

    @Test(arguments: [CtyType.string, .number, .bool, .dynamic, .map(.string), .object(["a": .bool])])
    func nullIsNil(type: CtyType) throws {
        #expect(try Self.encoded(.null, type) == "c0")
        #expect(try CtyValueCodec.decode(hex("c0"), as: type) == .null)
    }

    @Test(arguments: [
        ("0", "00"), ("127", "7f"), ("128", "cc 80"), ("-1", "ff"), ("-200", "d1 ff 38"), ("300", "cd 01 2c"),
        ("9223372036854775807", "cf 7f ff ff ff ff ff ff ff"), ("-9223372036854775808", "d3 80 00 00 00 00 00 00 00"),
        ("0.5", "cb 3f e0 00 00 00 00 00 00"), ("-2.25", "cb c0 02 00 00 00 00 00 00"),
        ("1e22", "cb 44 80 f0 cf 06 4d d5 92"),
        // No double is exactly these, or the one that is reads back as another number (2^64 as 18446744073709552000):
        // their text goes as a string.
        ("18446744073709551616", "b4 31 38 34 34 36 37 34 34 30 37 33 37 30 39 35 35 31 36 31 36"),
        ("0.1", "a3 30 2e 31"), ("9223372036854775809", "b3 39 32 32 33 33 37 32 30 33 36 38 35 34 37 37 35 38 30 39"),
        ("1e400", "a5 31 65 34 30 30"),
    ])
    func numbersAreIntegersExactFloatsOrText(number: String, bytes: String) throws {
        let value = Value.number(try #require(Number(parsing: number)))
        #expect(try Self.encoded(value, .number) == hexText(hex(bytes)))
        #expect(try CtyValueCodec.decode(hex(bytes), as: .number) == value)
    }

    /// The exact value of the double nearest 0.1 is that double, but a float would read back as 0.1: it goes as text.
    @Test func floatsAreWrittenOnlyWhenTheyReadBackAsTheSameNumber() throws {
        let exact = try #require(Number(parsing: "0.1000000000000000055511151231257827021181583404541015625"))
        let bytes = try CtyValueCodec.encode(.number(exact), as: .number)
        #expect(bytes.first == 0xd9)
        #expect(try CtyValueCodec.decode(bytes, as: .number) == .number(exact))
        let tiny = try #require(Number(parsing: "5e-324"))
        #expect(try CtyValueCodec.encode(.number(tiny), as: .number).first == 0xa6)
        let half = try #require(Number(parsing: "-0.000030517578125"))  // -2^-15
        #expect(try CtyValueCodec.encode(.number(half), as: .number).first == 0xcb)
    }

    @Test func numbersReadFromEveryIntegerWidthFloatsAndText() throws {
        #expect(try CtyValueCodec.decode(hex("cf ff ff ff ff ff ff ff ff"), as: .number)
            == .number(try #require(Number(parsing: "18446744073709551615"))))
        #expect(try CtyValueCodec.decode(hex("d0 9c"), as: .number) == -100)
        #expect(try CtyValueCodec.decode(hex("ca 3f c0 00 00"), as: .number) == .number(1.5))
        #expect(try CtyValueCodec.decode(hex("cb 3f b9 99 99 99 99 99 9a"), as: .number) == .number(0.1))
        #expect(try CtyValueCodec.decode(hex("a4 31 65 2d 39"), as: .number) == .number(try #require(Number(parsing: "1e-9"))))
        #expect { try CtyValueCodec.decode(hex("cb 7f f8 00 00 00 00 00 00"), as: .number) } throws: {
            ($0 as? PluginValueError)?.code == .invalidNumber
        }
        #expect { try CtyValueCodec.decode(hex("a1 78"), as: .number) } throws: { ($0 as? PluginValueError)?.code == .invalidNumber }
    }

    @Test func scalarsConvertAsTerraformConvertsConfiguration() throws {
        #expect(try Self.encoded(42, .string) == "a2 34 32")
        #expect(try Self.encoded(true, .string) == "a4 74 72 75 65")
        #expect(try Self.encoded("8", .number) == "08")
        #expect(try Self.encoded("false", .bool) == "c2")
        #expect(try Self.encoded("héllo", .string) == "a6 68 c3 a9 6c 6c 6f")
    }

    @Test(arguments: [
        (Value.map(["tags": .map(["env": .list([])])]), CtyType.object(["tags": .map(.string)]), #"tags["env"]"#),
        (.map(["rule": .list([.map(["port": 1]), .map(["port": "http"])])]),
         .object(["rule": .list(.object(["port": .number]))]), "rule[1].port"),
        (.map(["on": "yes"]), .object(["on": .bool]), "on"),
        (.list(["a"]), .tuple([.string, .string]), ""),
    ])
    func inconvertibleValuesNameTheirPath(value: Value, type: CtyType, path: String) {
        #expect {
            try CtyValueCodec.encode(value, as: type)
        } throws: { error in
            guard let error = error as? PluginValueError else { return false }
            return error.code == .typeMismatch && (error.path ?? "") == path
        }
    }

    @Test func objectsCarryEveryAttributeSortedWithNilForUnset() throws {
        let type = CtyType.object(["name": .string, "id": .string, "size": .number])
        // 83 = map of 3; keys id, name, size in order; id and size unset.
        #expect(try Self.encoded(.map(["name": "web"]), type) == "83 a2 69 64 c0 a4 6e 61 6d 65 a3 77 65 62 a4 73 69 7a 65 c0")
        #expect(try CtyValueCodec.decode(hex("83 a2 69 64 c0 a4 6e 61 6d 65 a3 77 65 62 a4 73 69 7a 65 c0"), as: type)
            == .map(["name": "web", "id": .null, "size": .null]))
        // Attributes the plugin left out read as null.
        #expect(try CtyValueCodec.decode(hex("81 a4 6e 61 6d 65 a3 77 65 62"), as: type)
            == .map(["name": "web", "id": .null, "size": .null]))
    }

    @Test func anAttributeTheTypeLacksIsAnErrorNamingIt() {
        let type = CtyType.object(["block": .list(.object(["a": .string]))])
        #expect {
            try CtyValueCodec.encode(.map(["block": .list([.map(["a": "x", "typo": "y"])])]), as: type)
        } throws: { error in
            guard let error = error as? PluginValueError else { return false }
            return error.code == .unsupportedAttribute && error.path == "block[0].typo" && error.message.contains("typo")
        }
        #expect { try CtyValueCodec.decode(hex("81 a1 62 c0"), as: .object(["a": .string])) } throws: {
            ($0 as? PluginValueError)?.code == .unsupportedAttribute
        }
    }

    @Test func mapKeysAreSortedAndSetsAreInCanonicalOrder() throws {
        #expect(try Self.encoded(.map(["b": 2, "a": 1, "B": 3]), .map(.number)) == "83 a1 42 03 a1 61 01 a1 62 02")
        // Whatever order the set was built in, and converted elements deduplicated (1 and "1" are one string).
        #expect(try Self.encoded(.set(of: ["b", "a"]), .set(.string)) == "92 a1 61 a1 62")
        #expect(try Self.encoded(.list(["b", "a", "b"]), .set(.string)) == "92 a1 61 a1 62")
        #expect(try Self.encoded(.list([1, "1"]), .set(.string)) == "91 a1 31")
        #expect(try CtyValueCodec.decode(hex("92 a1 62 a1 61"), as: .set(.string)) == .set(of: ["a", "b"]))
        #expect(try CtyValueCodec.decode(hex("92 a1 62 a1 61"), as: .list(.string)) == .list(["b", "a"]))
        #expect(try Self.encoded(.list(["x", 2]), .tuple([.string, .number])) == "92 a1 78 02")
    }

    @Test func dynamicValuesCarryTheirTypeJSON() throws {
        // [bin "\"string\"", "hi"]
        #expect(try Self.encoded("hi", .dynamic) == "92 c4 08 22 73 74 72 69 6e 67 22 a2 68 69")
        #expect(try CtyValueCodec.decode(hex("92 c4 08 22 73 74 72 69 6e 67 22 a2 68 69"), as: .dynamic) == "hi")
        // The type JSON as a string is read as well.
        #expect(try CtyValueCodec.decode(hex("92 a8 22 73 74 72 69 6e 67 22 a2 68 69"), as: .dynamic) == "hi")
        let list = try CtyValueCodec.encode(.list(["a", 1]), as: .dynamic)
        let typeJSON = Array(#"["tuple",["string","number"]]"#.utf8)
        #expect(list == hex("92 c4") + [UInt8(typeJSON.count)] + typeJSON + hex("92 a1 61 01"))
        let object = try CtyValueCodec.encode(.map(["k": true, "n": .null]), as: .dynamic)
        let objectJSON = Array(#"["object",{"k":"bool","n":"dynamic"}]"#.utf8)
        #expect(object == hex("92 c4") + [UInt8(objectJSON.count)] + objectJSON + hex("82 a1 6b c3 a1 6e c0"))
        #expect(try CtyValueCodec.decode(object, as: .dynamic) == .map(["k": true, "n": .null]))
        #expect(try Self.encoded(.set(of: [1, 2, .null]), .dynamic).hasPrefix("92 c4 10"))  // ["set","number"]
        #expect { try CtyValueCodec.encode(.set(of: [1, "a"]), as: .dynamic) } throws: {
            ($0 as? PluginValueError)?.code == .uninferableType
        }
    }

    @Test func nestedValuesRoundTrip() throws {
        let type = CtyType.object([
            "name": .string, "ports": .list(.number), "groups": .set(.string), "labels": .map(.string),
            "rule": .list(.object(["cidrs": .set(.string), "port": .number, "meta": .dynamic])),
            "pair": .tuple([.bool, .map(.list(.number))]), "anything": .dynamic,
        ])
        let value = Value.map([
            "name": "web", "ports": .list([80, 443, .unknown]), "groups": .set(of: ["b", "a"]),
            "labels": .map(["env": "prod", "team": .null]),
            "rule": .list([.map(["cidrs": .set(of: ["10.0.0.0/8"]), "port": 22, "meta": .map(["x": .list([1, "y"])])]),
                           .map(["cidrs": .unknown, "port": .number(Number(parsing: "1.25") ?? 0), "meta": .null])]),
            "pair": .list([false, .map(["n": .list([1, 2])])]), "anything": .set(of: [.map(["a": 1])]),
        ])
        let bytes = try CtyValueCodec.encode(value, as: type)
        #expect(try CtyValueCodec.decode(bytes, as: type) == value)
    }

    @Test func jsonCarriesEveryAttributeAndExactNumbers() throws {
        let type = CtyType.object(["id": .string, "size": .number, "tags": .map(.string), "ids": .set(.string),
                                   "extra": .dynamic])
        let value = Value.map(["id": "i-1", "size": .number(Number(parsing: "123456789012345678901234.5") ?? 0),
                               "ids": .list(["b", "a"]), "extra": .list([1])])
        let json = String(decoding: try CtyValueCodec.encodeJSON(value, as: type), as: UTF8.self)
        #expect(json == #"{"extra":{"type":["tuple",["number"]],"value":[1]},"id":"i-1","ids":["a","b"],"size":1.234567890123456789012345e23,"tags":null}"#)
        #expect(try CtyValueCodec.decodeJSON(Array(json.utf8), as: type)
            == .map(["id": "i-1", "size": .number(Number(parsing: "123456789012345678901234.5") ?? 0),
                     "ids": .set(of: ["a", "b"]), "extra": .list([1]), "tags": .null]))
        // Recorded state may lack attributes a newer schema added, and may hold numbers as strings.
        #expect(try CtyValueCodec.decodeJSON(Array(#"{"id":"x","size":"7"}"#.utf8), as: type)
            == .map(["id": "x", "size": 7, "ids": .null, "extra": .null, "tags": .null]))
        #expect { try CtyValueCodec.encodeJSON(.map(["id": .unknown]), as: type) } throws: {
            ($0 as? PluginValueError)?.code == .unknownNotAllowed && ($0 as? PluginValueError)?.path == "id"
        }
        #expect { try CtyValueCodec.decodeJSON(Array(#"{"id":"x","nope":1}"#.utf8), as: type) } throws: {
            ($0 as? PluginValueError)?.code == .unsupportedAttribute
        }
        #expect { try CtyValueCodec.decodeJSON(Array(#"{"id":"#.utf8), as: type) } throws: {
            ($0 as? PluginValueError)?.code == .malformed
        }
    }
}
