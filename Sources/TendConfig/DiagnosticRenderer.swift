import TendModel

/// Renders a diagnostic as `file:line:col: error: summary`, the source line, and a caret under the column.
public struct DiagnosticRenderer {
    /// The headline, then (when the source is known) the line and a caret; the detail follows when present.
    public static func render(_ d: Diagnostic, sources: [String: String]) -> String {
        var out = d.headline
        if let location = d.location, let text = sources[location.file] {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if location.line >= 1, location.line <= lines.count {
                let line = String(lines[location.line - 1]).replacingCarriageReturn()
                let before = line.unicodeScalars.prefix(max(location.column - 1, 0))
                var padding = ""
                for scalar in before { padding += scalar == "\t" ? "\t" : " " }
                out += "\n" + line + "\n" + padding + "^"
            }
        }
        if let detail = d.detail, !detail.isEmpty { out += "\n" + detail }
        return out
    }
}

extension String {
    fileprivate func replacingCarriageReturn() -> String {
        hasSuffix("\r") ? String(dropLast()) : self
    }
}
