import Foundation
import TendModel

/// What one `${...}` names.
enum ExpressionSyntax: Sendable, Equatable {
    /// How a reference picks an instance.
    enum KeySyntax: Sendable, Equatable {
        case literal(ResourceAddress.InstanceKey)
        case eachKey
        case eachValue
        case countIndex
    }

    /// Why an expression is malformed.
    struct Problem: Error, Equatable {
        var reason: String
    }

    case variable(String, path: [AttributePath.Component])
    case environment(String)
    case eachKey
    case eachValue(path: [AttributePath.Component])
    case countIndex
    case resource(String, key: KeySyntax?, path: AttributePath)
    /// `data.NAME.ATTRIBUTE`: a data source's attribute.
    case dataSource(String, path: AttributePath)

    /// Parses the text between `${` and `}`; the error says what is wrong.
    static func parse(_ raw: String) -> Result<ExpressionSyntax, Problem> {
        let text = ExpressionSyntax.trimmed(Substring(raw))
        let head = String(text.prefix { $0 != "." && $0 != "[" })
        let rest = text.dropFirst(head.count)
        guard !head.isEmpty else { return .failure(Problem(reason: "expected var.NAME, env.NAME, each.key, each.value, count.index, RESOURCE.ATTRIBUTE or data.NAME.ATTRIBUTE")) }
        switch head {
        case "var":
            guard rest.hasPrefix("."), let path = AttributePath(parsing: String(rest.dropFirst())), let name = path.root else {
                return .failure(Problem(reason: "expected var.NAME"))
            }
            return .success(.variable(name, path: Array(path.components.dropFirst())))
        case "env":
            let name = String(rest.dropFirst())
            guard rest.hasPrefix("."), !name.isEmpty, !name.contains("."), !name.contains("[") else {
                return .failure(Problem(reason: "expected env.NAME"))
            }
            return .success(.environment(name))
        case "each":
            if rest == ".key" { return .success(.eachKey) }
            if rest == ".value" { return .success(.eachValue(path: [])) }
            if rest.hasPrefix(".value"), let path = AttributePath(parsing: "value" + rest.dropFirst(6)) {
                return .success(.eachValue(path: Array(path.components.dropFirst())))
            }
            return .failure(Problem(reason: "expected each.key or each.value"))
        case "count":
            guard rest == ".index" else { return .failure(Problem(reason: "expected count.index")) }
            return .success(.countIndex)
        case "data":
            return parseDataSource(rest)
        default:
            return parseReference(head, rest)
        }
    }

    private static func parseDataSource(_ rest: Substring) -> Result<ExpressionSyntax, Problem> {
        let expected = Problem(reason: "expected data.NAME.ATTRIBUTE")
        guard rest.hasPrefix(".") else { return .failure(expected) }
        let body = rest.dropFirst()
        let name = String(body.prefix { $0 != "." && $0 != "[" })
        guard ResourceAddress.isValidName(name) else { return .failure(expected) }
        let after = body.dropFirst(name.count)
        if after.hasPrefix("[") {
            return .failure(Problem(reason: "data source \"\(name)\" has no instances: data sources take no for_each or count"))
        }
        guard after.hasPrefix("."), let path = AttributePath(parsing: String(after.dropFirst())), path.root != nil else {
            return .failure(Problem(reason: "a data source reference names an attribute: data.\(name).ATTRIBUTE"))
        }
        return .success(.dataSource(name, path: path))
    }

    private static func parseReference(_ name: String, _ rest: Substring) -> Result<ExpressionSyntax, Problem> {
        guard ResourceAddress.isValidName(name) else { return .failure(Problem(reason: "\"\(name)\" is not a resource name")) }
        var rest = rest
        var key: KeySyntax?
        if rest.hasPrefix("[") {
            var inQuotes = false
            guard let close = rest.indices.first(where: { i in
                if rest[i] == "\"" { inQuotes.toggle() }
                return rest[i] == "]" && !inQuotes
            }) else { return .failure(Problem(reason: "missing \"]\" after instance key")) }
            let inner = ExpressionSyntax.trimmed(rest[rest.index(after: rest.startIndex)..<close])
            switch inner {
            case "each.key": key = .eachKey
            case "each.value": key = .eachValue
            case "count.index": key = .countIndex
            default:
                if inner.count >= 2, inner.hasPrefix("\""), inner.hasSuffix("\"") {
                    key = .literal(.string(String(inner.dropFirst().dropLast())))
                } else if let i = Int(inner), i >= 0 {
                    key = .literal(.index(i))
                } else {
                    return .failure(Problem(reason: "instance key must be a quoted string, a whole number, each.key or count.index"))
                }
            }
            rest = rest[rest.index(after: close)...]
        }
        guard rest.hasPrefix("."), let path = AttributePath(parsing: String(rest.dropFirst())), path.root != nil else {
            return .failure(Problem(reason: "a reference names an attribute: \(name).ATTRIBUTE"))
        }
        return .success(.resource(name, key: key, path: path))
    }

    /// Spaces and tabs trimmed from both ends, without Foundation's bridging (this runs once per interpolation).
    static func trimmed(_ text: Substring) -> String {
        var slice = text
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
