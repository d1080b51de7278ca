/// A string split into literal text and `${...}` interpolations.
struct Template: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case text(String)
        /// The expression between `${` and `}`, and the offset of its `$` in unicode scalars.
        case interpolation(String, offset: Int)
    }

    /// Why a string is not a valid template.
    struct SyntaxError: Error, Equatable {
        var message: String
        var offset: Int
    }

    var segments: [Segment]

    /// Whether the string is exactly one interpolation, which keeps the value's type.
    var isSingleInterpolation: Bool {
        if segments.count == 1, case .interpolation = segments[0] { return true }
        return false
    }

    var hasInterpolation: Bool {
        segments.contains { if case .interpolation = $0 { return true } else { return false } }
    }

    /// Parses `text`; `$${` stands for a literal `${`.
    static func parse(_ text: String) -> Result<Template, SyntaxError> {
        let scalars = Array(text.unicodeScalars)
        var segments: [Segment] = []
        var literal = String.UnicodeScalarView()
        var i = 0
        func flush() {
            if !literal.isEmpty { segments.append(.text(String(literal))) }
            literal = String.UnicodeScalarView()
        }
        while i < scalars.count {
            let c = scalars[i]
            if c == "$", i + 2 < scalars.count, scalars[i + 1] == "$", scalars[i + 2] == "{" {
                literal.append(contentsOf: "${".unicodeScalars)
                i += 3
            } else if c == "$", i + 1 < scalars.count, scalars[i + 1] == "{" {
                var j = i + 2
                var inQuotes = false
                while j < scalars.count, inQuotes || scalars[j] != "}" {
                    if scalars[j] == "\"" { inQuotes.toggle() }
                    j += 1
                }
                guard j < scalars.count else {
                    return .failure(SyntaxError(message: "unterminated interpolation: missing \"}\"", offset: i))
                }
                flush()
                var inner = String.UnicodeScalarView()
                inner.append(contentsOf: scalars[(i + 2)..<j])
                segments.append(.interpolation(String(inner), offset: i))
                i = j + 1
            } else {
                literal.append(c)
                i += 1
            }
        }
        flush()
        return .success(Template(segments: segments))
    }
}
