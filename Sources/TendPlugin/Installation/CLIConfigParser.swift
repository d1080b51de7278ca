/// A value in the CLI configuration, as far as tend reads values: strings and lists of them; anything else is
/// kept only as a word for error messages.
enum CLIConfigValue: Sendable, Hashable {
    case string(String)
    case list([CLIConfigValue])
    /// A number, a keyword, an object or an expression, described as "a number", "an object"…
    case other(String)
}

/// An attribute, `name = value`, and its line.
struct CLIConfigAttribute: Sendable, Hashable {
    var name: String
    var value: CLIConfigValue
    var line: Int
}

/// A block, `type "label" { … }`, and the line it opens on.
struct CLIConfigBlock: Sendable, Hashable {
    var type: String
    var labels: [String]
    var body: CLIConfigBody
    var line: Int
}

/// The attributes and blocks of a file or a block, in the order written.
struct CLIConfigBody: Sendable, Hashable {
    var attributes: [CLIConfigAttribute] = []
    var blocks: [CLIConfigBlock] = []
}

/// Parses HCL into attributes and blocks, without evaluating expressions: enough for Terraform's CLI
/// configuration, where tend needs strings and lists of strings and skips the rest. Terraform reads that file with
/// HCL 1, which also allows quoted names (`"hashicorp/null" = "/path"` in `dev_overrides`); so does this.
struct CLIConfigParser {
    private let tokens: [CLIConfigToken]
    private var index = 0
    private let file: String

    init(text: String, file: String) throws {
        var lexer = CLIConfigLexer(text: text, file: file)
        self.tokens = try lexer.tokens()
        self.file = file
    }

    /// The whole file's body; throws `.invalidCLIConfig` at `FILE:LINE`.
    mutating func parseFile() throws -> CLIConfigBody {
        let body = try parseBody()
        guard case .end = current.kind else { throw error("unexpected \(describe(current))") }
        return body
    }

    private var current: CLIConfigToken { tokens[min(index, tokens.count - 1)] }

    private mutating func advance() { index += 1 }

    private func error(_ message: String, line: Int? = nil) -> ProviderInstallationError {
        ProviderInstallationError(.invalidCLIConfig, "\(file):\(line ?? current.line): \(message)")
    }

    /// Items up to a `}` or the end, neither consumed.
    private mutating func parseBody() throws -> CLIConfigBody {
        var body = CLIConfigBody()
        while true {
            switch current.kind {
            case .newline:
                advance()
            case .end, .symbol("}"):
                return body
            case .identifier(let name), .string(let name):
                let line = current.line
                advance()
                if case .symbol("=") = current.kind {
                    advance()
                    body.attributes.append(CLIConfigAttribute(name: name, value: try parseAttributeValue(), line: line))
                } else {
                    body.blocks.append(try parseBlock(type: name, line: line))
                }
            default:
                throw error("expected an attribute or a block, found \(describe(current))")
            }
        }
    }

    /// After the block type: labels, `{`, the body, `}`.
    private mutating func parseBlock(type: String, line: Int) throws -> CLIConfigBlock {
        var labels: [String] = []
        while true {
            switch current.kind {
            case .string(let label), .identifier(let label):
                labels.append(label)
                advance()
            case .symbol("{"):
                advance()
                let body = try parseBody()
                guard case .symbol("}") = current.kind else {
                    throw error("the \"\(type)\" block opened here is not closed", line: line)
                }
                advance()
                return CLIConfigBlock(type: type, labels: labels, body: body, line: line)
            default:
                throw error("expected \"=\" or \"{\" after \"\(type)\", found \(describe(current))")
            }
        }
    }

    /// A value and anything after it up to the end of the line (or a closing `}` of a one-line block).
    private mutating func parseAttributeValue() throws -> CLIConfigValue {
        var value = try parseValue()
        if case .newline = current.kind { return value }
        if case .end = current.kind { return value }
        if case .symbol("}") = current.kind { return value }
        // HCL 1 lets attributes share a line (`filesystem_mirror { path = "/m" include = ["x"] }`): a name
        // followed by `=` starts the next attribute.
        if case .identifier = current.kind, case .symbol("=") = tokens[min(index + 1, tokens.count - 1)].kind {
            return value
        }
        try skipExpression()
        value = .other("an expression")
        return value
    }

    private mutating func parseValue() throws -> CLIConfigValue {
        let token = current
        switch token.kind {
        case .string(let text):
            advance()
            return .string(text)
        case .number:
            advance()
            return .other("a number")
        case .identifier(let word):
            advance()
            return .other(word == "true" || word == "false" ? "a bool" : "an expression")
        case .symbol("["):
            advance()
            return .list(try parseListItems(openedOn: token.line))
        case .symbol("{"), .symbol("("):
            try skipBalanced()
            return .other(token.kind == .symbol("{") ? "an object" : "an expression")
        default:
            throw error("expected a value, found \(describe(token))")
        }
    }

    private mutating func parseListItems(openedOn line: Int) throws -> [CLIConfigValue] {
        var items: [CLIConfigValue] = []
        while true {
            switch current.kind {
            case .newline, .symbol(","):
                advance()
            case .symbol("]"):
                advance()
                return items
            case .end:
                throw error("the list opened on line \(line) is not closed", line: line)
            default:
                items.append(try parseValue())
                switch current.kind {
                case .newline, .symbol(","), .symbol("]"): break
                default: throw error("expected \",\" or \"]\" in a list, found \(describe(current))")
                }
            }
        }
    }

    /// From an opening bracket to its match, whatever is inside.
    private mutating func skipBalanced() throws {
        let line = current.line
        var depth = 0
        repeat {
            switch current.kind {
            case .symbol("{"), .symbol("["), .symbol("("): depth += 1
            case .symbol("}"), .symbol("]"), .symbol(")"): depth -= 1
            case .end: throw error("a bracket opened on line \(line) is not closed", line: line)
            default: break
            }
            advance()
        } while depth > 0
    }

    /// The rest of an expression tend does not evaluate: up to the end of the line outside brackets.
    private mutating func skipExpression() throws {
        while true {
            switch current.kind {
            case .newline, .end, .symbol("}"):
                return
            case .symbol("{"), .symbol("["), .symbol("("):
                try skipBalanced()
            default:
                advance()
            }
        }
    }

    private func describe(_ token: CLIConfigToken) -> String {
        switch token.kind {
        case .identifier(let name): return "\"\(name)\""
        case .string: return "a string"
        case .number(let text): return "the number \(text)"
        case .symbol(let symbol): return "\"\(symbol)\""
        case .newline: return "the end of the line"
        case .end: return "the end of the file"
        }
    }
}
