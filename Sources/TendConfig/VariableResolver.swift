import TendModel
import Yams

/// Resolves variable values: `--var` over variable files over defaults, coerced to the declared type.
struct VariableResolver {
    struct Variable: Sendable {
        var name: String
        var location: SourceLocation
        var type: AttributeType?
        var defaultNode: ManifestNode?
        var sensitive: Bool
    }

    static let declarationKeys = ["default", "description", "type", "sensitive"]
    static let typeNames: [String: AttributeType] = [
        "string": .string, "number": .number, "bool": .bool, "list": .list(.any), "map": .map(.any), "any": .any,
    ]

    /// Reads the declarations, reporting malformed ones.
    static func declarations(_ list: [ManifestSet.Declaration], diagnostics: inout DiagnosticList) -> [Variable] {
        list.map { declaration in
            var variable = Variable(name: declaration.name, location: declaration.location, type: nil, defaultNode: nil,
                                    sensitive: false)
            if declaration.node.isNull { return variable }
            guard let entries = declaration.node.entries else {
                diagnostics.error("variable \"\(declaration.name)\" must be a mapping with default, description, type or sensitive",
                                  at: declaration.node.location)
                return variable
            }
            for entry in entries {
                switch entry.key {
                case "default":
                    variable.defaultNode = entry.value
                case "description":
                    break
                case "type":
                    let name = entry.value.scalar?.text ?? ""
                    if let type = typeNames[name] {
                        variable.type = type
                    } else {
                        diagnostics.error("unknown variable type \"\(name)\"; expected string, number, bool, list or map"
                            + Suggestion.hint(for: name, among: typeNames.keys), at: entry.value.location)
                    }
                case "sensitive":
                    guard case let .bool(b)? = entry.value.scalar?.kind else {
                        diagnostics.error("sensitive must be true or false", at: entry.value.location)
                        continue
                    }
                    variable.sensitive = b
                default:
                    diagnostics.error("unknown key \"\(entry.key)\" in variable \"\(declaration.name)\""
                        + Suggestion.hint(for: entry.key, among: declarationKeys), at: entry.keyLocation)
                }
            }
            return variable
        }
    }

    /// The final values. `files` are the parsed variable files in the order given.
    static func resolve(_ variables: [Variable], commandLine: [String: String], files: [ManifestNode],
                        diagnostics: inout DiagnosticList) -> [String: Value] {
        let byName = Dictionary(variables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var chosen: [String: (value: Value, location: SourceLocation?)] = [:]
        for variable in variables {
            if let d = variable.defaultNode { chosen[variable.name] = (literal(d, as: variable.type), d.location) }
        }
        for file in files {
            if file.isNull { continue }
            guard let entries = file.entries else {
                diagnostics.error("a variable file must be a mapping of name to value", at: file.location)
                continue
            }
            for entry in entries {
                guard let variable = byName[entry.key] else {
                    diagnostics.error("variable file sets undeclared variable \"\(entry.key)\""
                        + Suggestion.hint(for: entry.key, among: byName.keys), at: entry.keyLocation)
                    continue
                }
                chosen[entry.key] = (literal(entry.value, as: variable.type), entry.value.location)
            }
        }
        for name in commandLine.keys.sorted() {
            guard let variable = byName[name], let text = commandLine[name] else {
                diagnostics.error("--var sets undeclared variable \"\(name)\"" + Suggestion.hint(for: name, among: byName.keys),
                                  at: nil)
                continue
            }
            chosen[name] = (parseCommandLine(text, as: variable.type), nil)
        }
        var values: [String: Value] = [:]
        for variable in variables {
            guard let (value, location) = chosen[variable.name] else {
                diagnostics.error("variable \"\(variable.name)\" has no value: give it a default, a --var or a variable file",
                                  at: variable.location)
                continue
            }
            guard let type = variable.type else {
                values[variable.name] = value
                continue
            }
            let coerced = type.coerce(value)
            if let (path, reason) = type.mismatch(for: coerced) {
                let inner = path.components.isEmpty ? "" : " at \(path)"
                diagnostics.error("invalid value for variable \"\(variable.name)\"\(inner): \(reason)", at: location)
                continue
            }
            values[variable.name] = coerced
        }
        return values
    }

    /// A `--var` string: lists and maps are written in YAML flow syntax (`[a, b]`, `{k: v}`).
    private static func parseCommandLine(_ text: String, as type: AttributeType?) -> Value {
        switch type {
        case .list?, .map?:
            let parsed = ManifestParser(file: "--var", text: text).parse()
            if case let .success(node?) = parsed { return literal(node, as: type) }
            return .string(text)
        default:
            return .string(text)
        }
    }

    /// A node's value without interpolation; plain scalars stay text for a string type.
    static func literal(_ node: ManifestNode, as type: AttributeType? = nil) -> Value {
        switch node {
        case let .scalar(s):
            switch s.kind {
            case .null: return .null
            case let .bool(b): return type == .string && s.isPlain ? .string(s.text) : .bool(b)
            case let .number(n): return type == .string && s.isPlain ? .string(s.text) : .number(n)
            case .string: return .string(s.text)
            }
        case let .mapping(entries, _):
            var out: [String: Value] = [:]
            var element: AttributeType?
            if case let .map(e)? = type { element = e }
            for entry in entries { out[entry.key] = literal(entry.value, as: element) }
            return .map(out)
        case let .sequence(items, _):
            var element: AttributeType?
            if case let .list(e)? = type { element = e }
            if case let .set(e)? = type { element = e }
            return .list(items.map { literal($0, as: element) })
        }
    }
}
