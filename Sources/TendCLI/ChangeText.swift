import TendModel

/// One changed attribute for people, in plan and drift text: `old → new` inline, long single lines cut down to
/// what changed, multi-line text and JSON documents as a unified diff below the attribute. Sensitive values are
/// never diffed: they show as `(sensitive)`.
struct ChangeText {
    let palette: Palette

    /// Lines of a diff under an attribute are indented this much more than the attribute.
    static let diffIndent = "    "

    /// `label: old → new` (the caller's `label` ends where the values start), or `label` and a diff below it;
    /// `suffix` goes at the end of the attribute's line. Ends with a newline.
    func render(label: String, before: Value?, after: Value?, at path: AttributePath, marks: SensitiveMarks,
                sensitive: Bool = false, indent: String, suffix: String = "") -> String {
        let hidden = sensitive || marks.touches(path)
        if !hidden, let diff = ValueDiff.lines(expected: before, actual: after) {
            return indent + label + suffix + "\n" + diff.map { indent + Self.diffIndent + paint($0) + "\n" }.joined()
        }
        if !hidden, let cut = ValueDiff.shortened(expected: before, actual: after) {
            return indent + label + " " + Value.quote(cut.expected) + " → " + Value.quote(cut.actual) + suffix + "\n"
        }
        let old = sensitive ? ValueFormatter.format(before, sensitive: true) : ValueFormatter.format(before, at: path, marks: marks)
        let new = sensitive ? ValueFormatter.format(after, sensitive: true) : ValueFormatter.format(after, at: path, marks: marks)
        return indent + label + " " + old + " → " + new + suffix + "\n"
    }

    /// One drifted attribute and, below it, the computed attributes that changed with it.
    func render(_ item: DriftChange.AttributeDrift, marks: SensitiveMarks, indent: String, suffix: String = "") -> String {
        var out = render(label: palette.yellow("~") + " \(item.path):", before: item.expected, after: item.actual, at: item.path,
                         marks: marks, sensitive: item.isSensitive, indent: indent, suffix: suffix)
        for context in item.context {
            out += render(label: "  with \(context.path):", before: context.expected, after: context.actual, at: context.path,
                          marks: marks, sensitive: context.isSensitive, indent: indent)
        }
        return out
    }

    private func paint(_ line: TextDiff.Line) -> String {
        switch line.kind {
        case .removed: return palette.red(line.rendered)
        case .added: return palette.green(line.rendered)
        case .hunk: return palette.cyan(line.rendered)
        case .context, .note: return line.rendered
        }
    }
}
