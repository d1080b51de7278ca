import Foundation
@testable import TendCLI
import TendModel
import Testing

/// `tend plan --json` writes its document in pieces as it builds it; the pieces must add up to the one document.
@Suite struct PlanJSONStreamingTests {
    @Test(arguments: [1, 7, 64, 1 << 16])
    func piecesOfAnySizeAddUpToTheWholeDocument(chunk: Int) throws {
        let plan = RedactionPropertyTests.plan("s3-secret", "s3-old")
        let whole = PlanJSONView().render(plan)
        var pieces: [[UInt8]] = []
        PlanJSONView().write(plan, chunk: chunk) { pieces.append($0) }
        #expect(String(decoding: pieces.joined(), as: UTF8.self) == whole)
        #expect(pieces.dropLast().allSatisfy { $0.count >= chunk }, "only the last piece may be short")
        if chunk < whole.utf8.count / 4 {
            #expect(pieces.count > 2, "a small chunk size writes the document in several pieces")
        }
    }

    @Test func theStreamedDocumentIsCanonicalJSON() throws {
        let plan = RedactionPropertyTests.plan("s3-secret", "s3-old")
        let text = PlanJSONView().render(plan)
        #expect(text.hasSuffix("}\n"))
        let parsed = try JSONValueParser.parse(String(text.dropLast()))
        // Sorted keys and no whitespace at every level: parsing and writing it again gives the same bytes.
        #expect(parsed.canonicalJSON + "\n" == text)
        guard case let .map(document) = parsed else {
            Issue.record("the plan JSON is not an object")
            return
        }
        #expect(document["format_version"] == .string("1.2"))
        guard case let .list(changes)? = document["resource_changes"] else {
            Issue.record("resource_changes is not a list")
            return
        }
        #expect(changes.count == plan.changes.count + plan.deposed.count + plan.deferredReads.count)
        guard case let .list(drift)? = document["resource_drift"] else {
            Issue.record("resource_drift is not a list")
            return
        }
        #expect(drift.count == plan.drift.count)
    }

    @Test func canonicalJSONEscapesAsBefore() {
        let value = Value.map(["b": .list([.string("line\n\"q\"\\\t\r\u{01}é"), .number(1.5), .null, .bool(true)]),
                               "a": .set(ValueSet([.string("x")])), "c": .map([:])])
        #expect(value.canonicalJSON == #"{"a":["x"],"b":["line\n\"q\"\\\t\r\u0001é",1.5,null,true],"c":{}}"#)
        #expect(Value.quote("plain") == "\"plain\"")
        #expect(Value.quote("tab\there") == #""tab\there""#)
    }
}
