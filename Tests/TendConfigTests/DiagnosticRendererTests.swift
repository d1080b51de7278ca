import Testing
import TendConfig
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
}
