import TendModel

extension Interpolator {
    /// Whether any `${...}` in `node` reads a sensitive input: a variable declared `sensitive: true`, or each.key
    /// and each.value of an instance whose for_each is sensitive.
    func usesSensitiveInput(_ node: ManifestNode, scope: Scope) -> Bool {
        !sensitiveInputPaths(in: node, at: AttributePath([]), scope: scope).isEmpty
    }

    /// The paths inside `node` (below `path`) of the strings that read a sensitive input.
    func sensitiveInputPaths(in node: ManifestNode, at path: AttributePath, scope: Scope) -> [AttributePath] {
        guard !sensitiveVariables.isEmpty || scope.isSensitive else { return [] }
        switch node {
        case let .scalar(scalar):
            guard scalar.kind == .string, case let .success(template) = cache.template(scalar.text) else { return [] }
            for case let .interpolation(text, _) in template.segments {
                if case let .success(syntax) = cache.expression(text), isSensitive(syntax, scope: scope) { return [path] }
            }
            return []
        case let .mapping(entries, _):
            return entries.flatMap { sensitiveInputPaths(in: $0.value, at: path.appending(.key($0.key)), scope: scope) }
        case let .sequence(items, _):
            return items.enumerated().flatMap { sensitiveInputPaths(in: $1, at: path.appending(.index($0)), scope: scope) }
        }
    }

    private func isSensitive(_ syntax: ExpressionSyntax, scope: Scope) -> Bool {
        switch syntax {
        case let .variable(name, _): return sensitiveVariables.contains(name)
        case .eachKey, .eachValue: return scope.isSensitive
        case .environment, .countIndex, .resource, .dataSource: return false
        }
    }
}
