import Testing
@testable import TendConfig
import TendModel

@Suite struct DiagnosticRendererTests {
    @Test func putsACaretUnderTheColumn() {
        let source = "resources:\n  web:\n    type: local_file\n    properties: { mod: \"0644\" }\n"
        let diagnostic = Diagnostic(.error, "unknown attribute \"mod\" for local_file (did you mean \"mode\"?)",
                                    at: SourceLocation(file: "examples/web.yaml", line: 4, column: 19))
        let text = DiagnosticRenderer.render(diagnostic, sources: ["examples/web.yaml": source])
        #expect(text == """
        examples/web.yaml:4:19: error: unknown attribute "mod" for local_file (did you mean "mode"?)
            properties: { mod: "0644" }
                          ^
        """)
    }

    @Test func keepsTabsSoTheCaretLinesUp() {
        let diagnostic = Diagnostic(.error, "bad", at: SourceLocation(file: "a.yaml", line: 1, column: 3))
        #expect(DiagnosticRenderer.render(diagnostic, sources: ["a.yaml": "\tx: y"]) == "a.yaml:1:3: error: bad\n\tx: y\n\t ^")
    }

    @Test func rendersOnlyTheHeadlineWithoutSource() {
        let located = Diagnostic(.warning, "odd", at: SourceLocation(file: "gone.yaml", line: 9, column: 1))
        #expect(DiagnosticRenderer.render(located, sources: [:]) == "gone.yaml:9:1: warning: odd")
        #expect(DiagnosticRenderer.render(Diagnostic(.error, "no place"), sources: [:]) == "error: no place")
    }

    @Test func showsAnExcerptAroundTheColumnOfALongLine() throws {
        let line = String(repeating: "a", count: 1000) + "X" + String(repeating: "b", count: 1000)
        let diagnostic = Diagnostic(.error, "here", at: SourceLocation(file: "a.yaml", line: 2, column: 1001))
        let lines = DiagnosticRenderer.render(diagnostic, sources: ["a.yaml": "top\n" + line + "\nend\n"])
            .split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let shown = Array(lines[1]), caret = Array(lines[2])
        #expect(shown.count <= 162 && shown.first == "…" && shown.last == "…", "\(lines[1])")
        #expect(shown.firstIndex(of: "X") == caret.firstIndex(of: "^"))
    }

    /// Each of many diagnostics on one long line costs the same: the lines are found once, and only an excerpt is shown.
    @Test func renderingManyDiagnosticsIsLinear() {
        func seconds(_ count: Int) -> Double {
            let source = "x: [" + Array(repeating: "k0", count: count).joined(separator: ", ") + "]\n"
            let diagnostics = (0..<count).map {
                Diagnostic(.error, "duplicate", at: SourceLocation(file: "a.yaml", line: 1, column: 5 + 4 * $0))
            }
            let start = LinearParsingTests.threadCPUSeconds()
            let rendered = DiagnosticRenderer.render(diagnostics, sources: ["a.yaml": source])
            let took = LinearParsingTests.threadCPUSeconds() - start
            #expect(rendered.allSatisfy { $0.utf8.count < 400 })
            return took
        }
        let small = min(seconds(2_000), seconds(2_000)), large = seconds(20_000)
        #expect(large < 30 * max(small, 0.001), "10× the diagnostics took \(large / max(small, 0.001))× as long")
    }
}
