import Foundation
import TendModel
import TendPlugin
import Testing

/// Terraform's type JSON reads into `CtyType` and is written back the same (keys sorted), and each type has a
/// tend attribute type.
@Suite struct CtyTypeTests {
    @Test(arguments: [
        (#""string""#, CtyType.string), (#""number""#, .number), (#""bool""#, .bool), (#""dynamic""#, .dynamic),
        (#"["list","string"]"#, .list(.string)), (#"["set",["map","number"]]"#, .set(.map(.number))),
        (#"["object",{"a":"string","b":["list","bool"]}]"#, .object(["a": .string, "b": .list(.bool)])),
        (#"["object",{"a":"string","b":"number"},["a","b"]]"#, .object(["a": .string, "b": .number], optional: ["a", "b"])),
        (#"["tuple",["string",["tuple",[]]]]"#, .tuple([.string, .tuple([])])), (#"["object",{}]"#, .object([:])),
    ])
    func parsesAndWritesTypeJSON(json: String, type: CtyType) throws {
        #expect(try CtyType(jsonText: json) == type)
        #expect(type.jsonText == json)
        #expect(try CtyType(json: type.json) == type)
    }

    @Test func writesObjectKeysSortedWhateverTheInputOrder() throws {
        let type = try CtyType(jsonText: #" [ "object" , { "z" : "bool" , "a" : "string" } , [ "z" ] ] "#)
        #expect(type.jsonText == #"["object",{"a":"string","z":"bool"},["z"]]"#)
    }

    @Test(arguments: [
        "", "strin", #""list""#, #"["list"]"#, #"["list","string","x"]"#, #"["object",["a"]]"#, #"["tuple","string"]"#,
        #"["object",{"a":"string"},["b"]]"#, #"["object",{"a":"string"},"a"]"#, #"[1,"string"]"#, "42", "null",
        #"["map",["set",["list",["tuple",[["object",{"a":"nope"}]]]]]]"#,
    ])
    func refusesWhatIsNotAType(json: String) {
        #expect {
            try CtyType(jsonText: json)
        } throws: { error in
            (error as? PluginValueError)?.code == .invalidType
        }
    }

    @Test func refusesDeepTypesWithoutRecursingWithoutBound() {
        let deep = String(repeating: #"["list","#, count: 400) + #""string""# + String(repeating: "]", count: 400)
        #expect(throws: PluginValueError.self) { try CtyType(jsonText: deep) }
    }

    @Test(arguments: [
        (CtyType.string, AttributeType.string), (.number, .number), (.bool, .bool), (.dynamic, .any),
        (.list(.set(.map(.string))), .list(.set(.map(.string)))), (.tuple([.string, .number]), .list(.any)),
        (.object(["a": .dynamic, "b": .tuple([])], optional: ["a"]), .object(["a": .any, "b": .list(.any)])),
    ])
    func mapsToTendsAttributeTypes(type: CtyType, expected: AttributeType) {
        #expect(type.attributeType == expected)
    }

    @Test func codableNestsTheTypeJSON() throws {
        let type = CtyType.object(["tags": .map(.string), "rules": .list(.tuple([.number]))], optional: ["tags"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(["type": type])
        #expect(String(decoding: data, as: UTF8.self)
            == #"{"type":["object",{"rules":["list",["tuple",["number"]]],"tags":["map","string"]},["tags"]]}"#)
        #expect(try JSONDecoder().decode([String: CtyType].self, from: data) == ["type": type])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CtyType].self, from: Data(#"["strung"]"#.utf8)) }
    }
}
