/// A token of the HCL subset Terraform's CLI configuration is written in, with the line it starts on.
struct CLIConfigToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case identifier(String)
        case string(String)
        case number(String)
        /// `=`, `{`, `}`, `[`, `]`, `(`, `)`, `,`, `:` or any other single character of an expression.
        case symbol(Character)
        case newline
        case end
    }

    var kind: Kind
    var line: Int
}

/// Splits CLI configuration text into tokens, dropping `#`, `//` and `/* */` comments; newlines are tokens, since
/// they end attributes.
struct CLIConfigLexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var line = 1
    private let file: String

    init(text: String, file: String) {
        self.scalars = Array(text.unicodeScalars)
        self.file = file
    }

    /// Every token, ending with `.end`; throws `.invalidCLIConfig` at `FILE:LINE` for an unterminated string or
    /// comment, or a heredoc.
    mutating func tokens() throws -> [CLIConfigToken] {
        var tokens: [CLIConfigToken] = []
        while let token = try next() {
            tokens.append(token)
        }
        tokens.append(CLIConfigToken(kind: .end, line: line))
        return tokens
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private func error(_ message: String, line: Int? = nil) -> ProviderInstallationError {
        ProviderInstallationError(.invalidCLIConfig, "\(file):\(line ?? self.line): \(message)")
    }

    private mutating func next() throws -> CLIConfigToken? {
        while let scalar = peek() {
            let start = line
            switch scalar {
            case " ", "\t", "\r":
                position += 1
            case "\n":
                position += 1
                line += 1
                return CLIConfigToken(kind: .newline, line: start)
            case "#":
                skipLineComment()
            case "/" where peek(1) == "/":
                skipLineComment()
            case "/" where peek(1) == "*":
                try skipBlockComment()
            case "\"":
                return CLIConfigToken(kind: .string(try scanString()), line: start)
            case "<" where peek(1) == "<":
                throw error("heredoc strings are not supported here; use a quoted string")
            default:
                if Self.isIdentifierStart(scalar) {
                    return CLIConfigToken(kind: .identifier(scan(while: Self.isIdentifierPart)), line: start)
                }
                if ("0"..."9").contains(scalar) {
                    return CLIConfigToken(kind: .number(scan(while: Self.isNumberPart)), line: start)
                }
                position += 1
                return CLIConfigToken(kind: .symbol(Character(scalar)), line: start)
            }
        }
        return nil
    }

    private mutating func scan(while accepts: (Unicode.Scalar) -> Bool) -> String {
        var text = String.UnicodeScalarView()
        while let scalar = peek(), accepts(scalar) {
            text.append(scalar)
            position += 1
        }
        return String(text)
    }

    private mutating func skipLineComment() {
        while let scalar = peek(), scalar != "\n" { position += 1 }
    }

    private mutating func skipBlockComment() throws {
        let start = line
        position += 2
        while let scalar = peek() {
            if scalar == "*" && peek(1) == "/" {
                position += 2
                return
            }
            if scalar == "\n" { line += 1 }
            position += 1
        }
        throw error("a /* comment is not closed", line: start)
    }

    /// A quoted string after its opening quote, with HCL's escapes; templates (`${…}`) are kept as written.
    private mutating func scanString() throws -> String {
        position += 1
        var text = String.UnicodeScalarView()
        while let scalar = peek() {
            position += 1
            switch scalar {
            case "\"":
                return String(text)
            case "\n":
                throw error("a string is not closed before the end of the line")
            case "\\":
                text.append(try scanEscape())
            default:
                text.append(scalar)
            }
        }
        throw error("a string is not closed before the end of the file")
    }

    private mutating func scanEscape() throws -> Unicode.Scalar {
        guard let escaped = peek() else { throw error("a string is not closed before the end of the file") }
        position += 1
        switch escaped {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "\"": return "\""
        case "\\": return "\\"
        case "u", "U":
            let length = escaped == "u" ? 4 : 8
            let digits = String(String.UnicodeScalarView(scalars[position..<min(position + length, scalars.count)]))
            guard digits.count == length, let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
                throw error("a \\\(escaped) escape needs \(length) hexadecimal digits of a Unicode scalar")
            }
            position += length
            return scalar
        default:
            throw error("unknown escape \\\(escaped) in a string")
        }
    }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }

    private static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
    }

    private static func isNumberPart(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || scalar == "." || scalar == "e" || scalar == "E"
    }
}
