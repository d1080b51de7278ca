import Foundation
import PropertyBased
import TendEngine
import TendModel
import Testing
@testable import TendCLI
import TendFuzzing

/// Property: whatever the sensitive string (quotes, backslashes, newlines, non-ASCII, long), and wherever the mark
/// puts it (a whole attribute, a map entry, a list item, a value derived by interpolation), no rendered plan holds it.
@Suite struct RedactionPropertyTests {
    static let alphabet = Array("abcXYZ019 _-.:/\"\\\n\t{}[]$é€😀")

    static func secret(_ random: inout FuzzRandom) -> String {
        let length = Int.random(in: 6...150, using: &random)
        return "s3" + String((0..<length).map { _ in alphabet.randomElement(using: &random) ?? "x" })
    }

    /// The ways a secret can show up in text: as is, quoted for people, escaped in JSON.
    static func forms(of secret: String) -> [String] {
        let quoted = String(Value.quote(secret).dropFirst().dropLast())
        let json = String(Value.string(secret).canonicalJSON.dropFirst().dropLast())
        // The text view shortens long strings to their first 60 characters.
        return [secret, quoted, json, String(quoted.prefix(40))]
    }

    static func plan(_ secret: String, _ old: String) -> Plan {
        let sensitive = [AttributePath(keys: "content"), AttributePath(keys: "tags", "password"),
                         AttributePath([.key("ports"), .index(1)])]
        let after: [String: Value] = [
            "path": .string("/srv/a"), "content": .string("x \(secret)"),
            "tags": .map(["owner": .string("me"), "password": .string(secret)]),
            "ports": .list([.string("80"), .string(secret)]),
        ]
        var before = after
        before["content"] = .string("x \(old)")
        before["tags"] = .map(["owner": .string("you"), "password": .string(old)])
        let address = ResourceAddress(name: "web")
        let changes = [
            ResourceChange(address: ResourceAddress(name: "new"), type: "local_file", provider: "local", action: .create,
                           before: nil, after: after, sensitivePaths: sensitive),
            ResourceChange(address: address, type: "local_file", provider: "local", action: .update, before: before,
                           after: after, changedPaths: [AttributePath(keys: "content"), AttributePath(keys: "tags")],
                           sensitivePaths: sensitive),
            ResourceChange(address: ResourceAddress(name: "gone"), type: "local_file", provider: "local", action: .delete,
                           before: before, after: nil, sensitivePaths: sensitive),
        ]
        let drift = DriftChange(address: address, type: "local_file", provider: "local", kind: .changed, before: before,
                                after: after, attributes: [
                                    .init(path: AttributePath(keys: "content"), expected: before["content"],
                                          actual: after["content"], isSensitive: false),
                                    .init(path: AttributePath(keys: "tags"), expected: before["tags"], actual: after["tags"],
                                          isSensitive: false),
                                ], sensitivePaths: [])
            .markingSensitive(sensitive, marker: Redaction.marker)
        return Plan(changes: changes, drift: [drift], specs: [], lineage: nil, serial: 0)
    }

    /// swift-property-based draws the seeds; each builds 25 random secrets and the plans that hold them.
    @Test func noRenderedPlanHoldsASensitiveValue() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...Int(UInt32.max))) { seed in
            try Self.check(seed: UInt64(seed))
        }
    }

    static func check(seed: UInt64) throws {
        var random = FuzzRandom(seed: seed)
        for _ in 0..<25 {
            let secret = Self.secret(&random)
            let old = Self.secret(&random)
            let plan = Self.plan(secret, old)
            let outputs = [
                PlanTextView(palette: Palette(enabled: false)).render(plan),
                PlanTextView(palette: Palette(enabled: true)).render(plan),
                PlanJSONView().render(plan),
            ]
            for output in outputs {
                for form in Self.forms(of: secret) + Self.forms(of: old) {
                    #expect(!output.contains(form), "seed \(seed): \(form.debugDescription) in\n\(output)")
                }
            }
            let text = outputs[0]
            #expect(text.contains("content = (sensitive)"))
            #expect(text.contains("password = (sensitive)"))
            #expect(text.contains("owner = \"me\""), "non-sensitive parts stay visible")
            #expect(!text.contains("\"(sensitive)\""), "the marker is shown as a marker, not as a quoted string")
        }
    }

    @Test func planJSONFlagsSensitiveLeavesInTerraformsShape() throws {
        let json = PlanJSONView().render(Self.plan("s3-secret", "s3-old"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let changes = try #require(document["resource_changes"] as? [[String: Any]])
        let update = try #require(changes.first { $0["address"] as? String == "web" }?["change"] as? [String: Any])
        let flags = try #require(update["after_sensitive"] as? [String: Any])
        #expect(flags["content"] as? Bool == true)
        #expect((flags["tags"] as? [String: Any])?["password"] as? Bool == true)
        #expect((flags["tags"] as? [String: Any])?["owner"] == nil)
        #expect((flags["ports"] as? [Any])?.map { $0 as? Bool } == [false, true])
        #expect(flags["path"] == nil)
        let after = try #require(update["after"] as? [String: Any])
        #expect(after["content"] is NSNull)
        #expect((after["tags"] as? [String: Any])?["owner"] as? String == "me")
        #expect(update["before_sensitive"] as? [String: Any] != nil)
    }

    @Test func marksCoverEverythingBelowThem() {
        let marks = SensitiveMarks([AttributePath(keys: "tags")])
        #expect(marks.covers(AttributePath(keys: "tags", "a")))
        #expect(!marks.covers(AttributePath(keys: "tag")))
        let attributes: [String: Value] = ["tags": .map(["a": .string("s")]), "name": .string("n"), "gone": .null]
        #expect(marks.redacting(attributes, marker: Redaction.marker) == [
            "tags": Redaction.marker, "name": .string("n"), "gone": .null,
        ])
        #expect(marks.secretTexts(in: attributes) == ["s"])
        #expect(SensitiveMarks.scrub("failed to write hunter2!", removing: ["hunter2"], marker: "(sensitive)")
                == "failed to write (sensitive)!")
    }
}
