import TendModel
import Testing

@Suite struct TextDiffTests {
    static func text(_ lines: [String]) -> String { lines.map { $0 + "\n" }.joined() }

    @Test func oneChangedLineGetsThreeLinesOfContextAndAHeader() {
        let old = Self.text((1...20).map { "line \($0)" })
        let new = old.replacingOccurrences(of: "line 10\n", with: "line ten\n")
        let diff = TextDiff.unified(old, new).map(\.rendered)
        #expect(diff == ["@@ -7,7 +7,7 @@", " line 7", " line 8", " line 9", "-line 10", "+line ten", " line 11", " line 12", " line 13"])
    }

    @Test func distantChangesAreSeparateHunksAndCloseOnesMerge() {
        var lines = (1...30).map { "l\($0)" }
        let old = Self.text(lines)
        lines[1] = "two"
        lines[25] = "twenty-six"
        let separate = TextDiff.unified(old, Self.text(lines)).filter { $0.kind == .hunk }.map(\.text)
        #expect(separate == ["@@ -1,5 +1,5 @@", "@@ -23,7 +23,7 @@"])
        lines[25] = "l26"
        lines[6] = "seven"
        let merged = TextDiff.unified(old, Self.text(lines)).filter { $0.kind == .hunk }.map(\.text)
        #expect(merged == ["@@ -1,10 +1,10 @@"])
    }

    /// Lines end at each newline byte, as in diff(1): CRLF line ends keep their "\r", and a change in one line of a
    /// CRLF text is that one line, not the whole text; non-ASCII text splits the same way.
    @Test func linesEndAtEachNewlineAsInDiff() {
        let diff = TextDiff.unified("one\r\ntwo\r\nthree\r\n", "one\r\n2\r\nthree\r\n").map(\.rendered)
        #expect(diff == ["@@ -1,3 +1,3 @@", " one\r", "-two\r", "+2\r", " three\r"])
        let accented = TextDiff.unified("é\nñ\n😀\n", "é\nn\n😀\n").map(\.rendered)
        #expect(accented == ["@@ -1,3 +1,3 @@", " é", "-ñ", "+n", " 😀"])
        #expect(TextDiff.unified("a\n\nb", "a\n\nc").map(\.rendered) == ["@@ -1,3 +1,3 @@", " a", " ", "-b", "+c"])
    }

    @Test func insertionsDeletionsAndEmptySides() {
        let added = TextDiff.unified("a\nb\n", "a\nx\nb\n").map(\.rendered)
        #expect(added == ["@@ -1,2 +1,3 @@", " a", "+x", " b"])
        let removed = TextDiff.unified("a\nx\nb\n", "a\nb\n").map(\.rendered)
        #expect(removed == ["@@ -1,3 +1,2 @@", " a", "-x", " b"])
        let fromNothing = TextDiff.unified("", "a\nb\n").map(\.rendered)
        #expect(fromNothing == ["@@ -0,0 +1,2 @@", "+a", "+b"])
        #expect(TextDiff.unified("same\n", "same\n").isEmpty)
    }

    @Test func theLongestCommonSubsequenceKeepsMovedAroundLines() {
        let diff = TextDiff.unified("a\nb\nc\nd\n", "b\nc\nd\na\n", context: 0).map(\.rendered)
        #expect(diff.filter { $0.hasPrefix("-") || $0.hasPrefix("+") } == ["-a", "+a"])
    }

    @Test func outputIsBoundedWithANote() {
        let old = Self.text((1...500).map { "old \($0)" })
        let new = Self.text((1...500).map { "new \($0)" })
        let diff = TextDiff.unified(old, new, maxLines: 50)
        #expect(diff.count == 51)
        #expect(diff.last?.kind == .note)
        #expect(diff.last?.text.contains("951 more diff lines") == true, "\(diff.last?.text ?? "")")
    }

    @Test func longLinesAreShortenedAroundTheChange() {
        let head = String(repeating: "h", count: 200)
        let tail = String(repeating: "t", count: 200)
        let cut = TextDiff.shortened(head + "OLD" + tail, head + "NEW" + tail, width: 80, keep: 10)
        #expect(cut.old == "…hhhhhhhhhhOLDtttttttttt…")
        #expect(cut.new == "…hhhhhhhhhhNEWtttttttttt…")
        let short = TextDiff.shortened("abc", "abd")
        #expect(short.old == "abc" && short.new == "abd")
    }

    @Test func jsonDocumentsAreDiffedAsPrettyJSONWithSortedKeys() throws {
        let old = Value.string(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#)
        let new = Value.string(#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Deny"}],"Version":"2012-10-17"}"#)
        let diff = try #require(ValueDiff.lines(expected: old, actual: new)).map(\.rendered)
        #expect(diff.contains("-      \"Effect\": \"Allow\""), "\(diff)")
        #expect(diff.contains("+      \"Effect\": \"Deny\""))
        #expect(!diff.contains { $0.contains("Version") && ($0.hasPrefix("-") || $0.hasPrefix("+")) }, "key order is not a change")
        // Single-line values that are not JSON documents are shown inline, not diffed.
        #expect(ValueDiff.lines(expected: .string("a"), actual: .string("b")) == nil)
        #expect(ValueDiff.lines(expected: .number(1), actual: .number(2)) == nil)
        // Multi-line text is diffed; the same JSON in other spacing shows where the bytes differ.
        #expect(ValueDiff.lines(expected: .string("a\nb\n"), actual: .string("a\nc\n")) != nil)
        #expect(ValueDiff.lines(expected: .string("a\nb"), actual: .string("a\nc")) != nil)
        // One line with its newline is still one line: shown inline.
        #expect(ValueDiff.lines(expected: .string("env = dev\n"), actual: .string("env = prod\n")) == nil)
        #expect(ValueDiff.lines(expected: .string("{\"a\":1}"), actual: .string("{ \"a\": 1 }")) == nil)
    }
}
