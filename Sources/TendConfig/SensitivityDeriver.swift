import TendGraph
import TendModel

/// Marks each spec's sensitive property paths, so sensitivity travels with values: the type's sensitive attributes,
/// what the builder marked (properties written with a sensitive variable or each.* of a sensitive for_each), and, in
/// dependency order, every property that refers to a sensitive value of another spec, through any chain of references.
enum SensitivityDeriver {
    /// The specs with `sensitivePaths` filled in; same order.
    static func derive(_ specs: [ResourceSpec], catalog: SchemaCatalog) -> [ResourceSpec] {
        var out = specs
        var index: [ResourceAddress: Int] = [:]
        index.reserveCapacity(specs.count)
        for i in specs.indices { index[specs[i].address] = i }
        // A cycle was reported already; any order then gives the marks of the specs outside it.
        let order = IndexedGraph.topologicalOrder(dependencies: specs.indices.map { specs[$0].dependencies.compactMap { index[$0] } })
            ?? Array(specs.indices)
        var marks = [SensitiveMarks](repeating: SensitiveMarks([]), count: specs.count)
        for i in order {
            var paths = specs[i].sensitivePaths + (catalog[specs[i].type]?.sensitivePaths ?? [])
            for (key, expression) in specs[i].properties where !expression.references.isEmpty {
                paths += sensitivePaths(in: expression, at: AttributePath([.key(key)])) { reference in
                    guard let target = index[reference.address] else { return false }
                    return marks[target].touches(reference.path)
                }
            }
            marks[i] = SensitiveMarks(paths)
            out[i].sensitivePaths = marks[i].paths
        }
        return out
    }

    /// Paths inside `expression` whose value derives from a reference `isSensitive` says is sensitive.
    static func sensitivePaths(in expression: Expression, at path: AttributePath,
                               isSensitive: (Reference) -> Bool) -> [AttributePath] {
        switch expression {
        case .literal:
            return []
        case let .reference(reference):
            return isSensitive(reference) ? [path] : []
        case let .template(parts):
            let sensitive = parts.contains { part in
                if case let .reference(reference) = part { return isSensitive(reference) }
                return false
            }
            return sensitive ? [path] : []
        case let .list(items):
            return items.enumerated().flatMap { sensitivePaths(in: $1, at: path.appending(.index($0)), isSensitive: isSensitive) }
        case let .map(entries):
            return entries.flatMap { sensitivePaths(in: $1, at: path.appending(.key($0)), isSensitive: isSensitive) }
        }
    }
}
