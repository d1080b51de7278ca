import TendModel
import Yams

/// Turns the text of one YAML or JSON file into a `ManifestNode`, or a diagnostic saying where it is malformed.
struct ManifestParser {
    /// A syntax error, as a diagnostic.
    struct Failure: Error {
        var diagnostic: Diagnostic
    }

    /// The path shown in diagnostics.
    var file: String
    var text: String

    /// The root node (nil for an empty file), or the syntax error.
    func parse() -> Result<ManifestNode?, Failure> {
        do {
            guard let root = try Yams.compose(yaml: text) else { return .success(nil) }
            return convert(root)
        } catch let error as YamlError {
            return .failure(Failure(diagnostic: diagnostic(for: error)))
        } catch {
            return .failure(Failure(diagnostic: Diagnostic(.error, "invalid \(syntaxName): \(error)", at: SourceLocation(file: file, line: 1, column: 1))))
        }
    }

    /// What the file is written in, for messages.
    private var syntaxName: String { file.lowercased().hasSuffix(".json") ? "JSON" : "YAML" }

    private var lines: [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    private func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: max(mark?.line ?? 1, 1), column: max(mark?.column ?? 1, 1))
    }

    private func convert(_ node: Node) -> Result<ManifestNode?, Failure> {
        let sourceLines = lines
        var failure: Diagnostic?
        func walk(_ node: Node) -> ManifestNode {
            switch node {
            case let .scalar(scalar):
                return .scalar(makeScalar(node, scalar, sourceLines))
            case let .mapping(mapping):
                var entries: [ManifestNode.Entry] = []
                for (key, value) in mapping {
                    guard case let .scalar(keyScalar) = key else {
                        if failure == nil {
                            failure = Diagnostic(.error, "mapping keys must be strings", at: location(key.mark))
                        }
                        continue
                    }
                    entries.append(ManifestNode.Entry(key: keyScalar.string, keyLocation: location(key.mark), value: walk(value)))
                }
                return .mapping(entries, location(mapping.mark))
            case let .sequence(sequence):
                return .sequence(sequence.map(walk), location(sequence.mark))
            case let .alias(alias):
                return .scalar(ManifestNode.Scalar(text: "", kind: .null, isPlain: true, location: location(alias.mark)))
            }
        }
        let root = walk(node)
        if let failure { return .failure(Failure(diagnostic: failure)) }
        return .success(root)
    }

    private func makeScalar(_ node: Node, _ scalar: Node.Scalar, _ sourceLines: [Substring]) -> ManifestNode.Scalar {
        let tag = node.tag.description
        var kind = ManifestNode.Scalar.Kind.string
        if tag == Tag.Name.null.rawValue {
            kind = .null
        } else if tag == Tag.Name.bool.rawValue, let b = node.bool {
            kind = .bool(b)
        } else if tag == Tag.Name.int.rawValue, let number = ManifestParser.integer(node, scalar.string) {
            kind = .number(number)
        } else if tag == Tag.Name.float.rawValue, let number = ManifestParser.float(node, scalar.string) {
            kind = .number(number)
        }
        let isPlain = scalar.style == .plain || scalar.style == .any
        return ManifestNode.Scalar(text: scalar.string, kind: kind, isPlain: isPlain, location: location(scalar.mark),
                                   contentColumn: contentColumn(of: scalar, sourceLines))
    }

    /// An integer as YAML reads it (`0x1F`, `0o17`, `017`, `1_000`); a decimal beyond 64 bits keeps its exact value.
    static func integer(_ node: Node, _ text: String) -> Number? {
        if let integer = node.int { return Number(integer) }
        let digits = text.replacingOccurrences(of: "_", with: "")
        let body = digits.hasPrefix("-") || digits.hasPrefix("+") ? digits.dropFirst() : Substring(digits)
        guard let first = body.first, first != "0", body.allSatisfy(\.isASCII), body.allSatisfy(\.isNumber) else { return nil }
        return Number(parsing: digits)
    }

    /// A float as written, exactly (`1e300`, `0.1`); nil for `.inf`, `.nan` and anything else no number holds.
    static func float(_ node: Node, _ text: String) -> Number? {
        if let exact = Number(parsing: text.replacingOccurrences(of: "_", with: "")) { return exact }
        return node.float.flatMap { Number($0) }
    }

    /// Where the scalar's text starts, when it is written on one line exactly as it reads.
    private func contentColumn(of scalar: Node.Scalar, _ sourceLines: [Substring]) -> Int? {
        guard let mark = scalar.mark, mark.line >= 1, mark.line <= sourceLines.count, !scalar.string.contains("\n") else {
            return nil
        }
        let line = Array(sourceLines[mark.line - 1].unicodeScalars)
        let start = mark.column - 1
        guard start >= 0, start <= line.count else { return nil }
        let content = Array(scalar.string.unicodeScalars)
        for shift in [0, 1] where start + shift + content.count <= line.count {
            if Array(line[(start + shift)..<(start + shift + content.count)]) == content { return mark.column + shift }
        }
        return nil
    }

    private func diagnostic(for error: YamlError) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let suffix = context.map { " (\($0.text))" } ?? ""
            return Diagnostic(.error, "invalid \(syntaxName): \(problem)\(suffix)", at: location(mark))
        case let .reader(problem, _, _, _):
            return Diagnostic(.error, "cannot read file: \(problem)", at: location(nil))
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? ""
            let first = location(context.mark)
            let second = secondOccurrence(of: key, after: context.mark) ?? first
            return Diagnostic(.error, "duplicate key \"\(key)\"; first written at \(first)", at: second)
        default:
            return Diagnostic(.error, "invalid \(syntaxName): \(error)", at: location(nil))
        }
    }

    /// Finds the repeated key: Yams reports only the first one.
    private func secondOccurrence(of key: String, after mark: Mark) -> SourceLocation? {
        let sourceLines = lines
        let spellings = [key, "\"\(key)\"", "'\(key)'"]
        func keyStarts(_ line: [Unicode.Scalar], at index: Int) -> Bool {
            for spelling in spellings {
                let s = Array(spelling.unicodeScalars)
                guard index + s.count <= line.count, Array(line[index..<(index + s.count)]) == s else { continue }
                var rest = index + s.count
                while rest < line.count, line[rest] == " " { rest += 1 }
                if rest < line.count, line[rest] == ":" { return true }
            }
            return false
        }
        guard mark.line >= 1, mark.line <= sourceLines.count else { return nil }
        // Flow mappings: later on the same line.
        let firstLine = Array(sourceLines[mark.line - 1].unicodeScalars)
        var index = mark.column
        while index < firstLine.count {
            if keyStarts(firstLine, at: index), index > 0, [" ", ",", "{"].contains(firstLine[index - 1]) {
                return SourceLocation(file: file, line: mark.line, column: index + 1)
            }
            index += 1
        }
        // Block mappings: a later line with the key at the same column.
        for lineNumber in (mark.line + 1)...max(mark.line + 1, sourceLines.count) where lineNumber <= sourceLines.count {
            let line = Array(sourceLines[lineNumber - 1].unicodeScalars)
            if mark.column - 1 < line.count, keyStarts(line, at: mark.column - 1) {
                return SourceLocation(file: file, line: lineNumber, column: mark.column)
            }
        }
        return nil
    }
}
