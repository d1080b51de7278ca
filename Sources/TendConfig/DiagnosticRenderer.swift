import TendModel

/// Renders a diagnostic as `file:line:col: error: summary`, the source line, and a caret under the column.
public struct DiagnosticRenderer {
    /// Lines longer than this (in characters) are shown as an excerpt around the column: a one-line flow list of
    /// 100,000 items would otherwise be printed whole under each of its diagnostics.
    static let longestLineShown = 160

    /// The headline, then (when the source is known) the line and a caret; the detail follows when present.
    public static func render(_ d: Diagnostic, sources: [String: String]) -> String {
        render([d], sources: sources)[0]
    }

    /// Renders many diagnostics, finding each file's lines once rather than once per diagnostic.
    public static func render(_ diagnostics: [Diagnostic], sources: [String: String]) -> [String] {
        var lineStarts: [String: [String.Index]] = [:]
        // The characters of the line last shown: diagnostics sorted by place often share one.
        var lastLine: (file: String, line: Int, scalars: [Unicode.Scalar])?
        return diagnostics.map { d in
            var out = d.headline
            if let location = d.location, let text = sources[location.file] {
                let starts = lineStarts[location.file] ?? Self.lineStarts(of: text)
                lineStarts[location.file] = starts
                if location.line >= 1, location.line <= starts.count {
                    if lastLine?.file != location.file || lastLine?.line != location.line {
                        let start = starts[location.line - 1]
                        let end = location.line < starts.count ? text.utf8.index(before: starts[location.line]) : text.endIndex
                        let line = String(text[start..<end]).replacingCarriageReturn()
                        lastLine = (location.file, location.line, Array(line.unicodeScalars))
                    }
                    out += "\n" + excerpt(lastLine?.scalars ?? [], column: location.column)
                }
            }
            if let detail = d.detail, !detail.isEmpty { out += "\n" + detail }
            return out
        }
    }

    private static func lineStarts(of text: String) -> [String.Index] {
        var contiguous = text
        let offsets = contiguous.withUTF8 { SourceText.lineStarts(of: $0) }
        return offsets.map { text.utf8.index(text.utf8.startIndex, offsetBy: $0) }
    }

    /// The line (or the part of it around `column`, marked with "…") and a caret under the column.
    private static func excerpt(_ line: [Unicode.Scalar], column: Int) -> String {
        var scalars = line
        var caret = max(column - 1, 0)
        if scalars.count > longestLineShown {
            let from = min(max(caret - longestLineShown / 3, 0), scalars.count)
            let to = min(from + longestLineShown, scalars.count)
            var window = Array(scalars[from..<to])
            caret -= from
            if from > 0 {
                window.insert("…", at: 0)
                caret += 1
            }
            if to < scalars.count { window.append("…") }
            scalars = window
        }
        var padding = ""
        for scalar in scalars.prefix(caret) { padding += scalar == "\t" ? "\t" : " " }
        var shown = String.UnicodeScalarView()
        shown.append(contentsOf: scalars)
        return String(shown) + "\n" + padding + "^"
    }
}

extension String {
    fileprivate func replacingCarriageReturn() -> String {
        hasSuffix("\r") ? String(dropLast()) : self
    }
}
