import TendGraph
import TendModel

/// Marks each spec's sensitive property paths, so sensitivity travels with values: the type's sensitive attributes,
/// what the builder marked (properties written with a sensitive variable or each.* of a sensitive for_each), and, in
/// dependency order, every property that refers to a sensitive value of another spec, through any chain of references.
enum SensitivityDeriver {
    /// One resource instance or data source, as far as sensitivity is concerned.
    private struct Node {
        var address: ResourceAddress
        var properties: [String: Expression]
        var dependencies: [ResourceAddress]
        /// What the builder marked, and the type's sensitive attributes.
        var paths: [AttributePath]
    }

    /// The specs with `sensitivePaths` filled in; same order.
    static func derive(_ specs: [ResourceSpec], catalog: SchemaCatalog) -> [ResourceSpec] {
        derive(specs, dataSources: [], catalog: catalog).specs
    }

    /// The specs and data sources with `sensitivePaths` filled in; same orders. A reference to a data source's
    /// sensitive attribute (or to a property derived from a sensitive value) is sensitive like one to a resource's.
    static func derive(_ specs: [ResourceSpec], dataSources: [DataSourceSpec],
                       catalog: SchemaCatalog) -> (specs: [ResourceSpec], dataSources: [DataSourceSpec]) {
        // Each type's sensitive attributes once, not once per instance.
        let typePaths = Dictionary(uniqueKeysWithValues: Set(specs.map(\.type)).map { ($0, catalog[$0]?.sensitivePaths ?? []) })
        let nodes = specs.map {
            Node(address: $0.address, properties: $0.properties, dependencies: $0.dependencies,
                 paths: $0.sensitivePaths + (typePaths[$0.type] ?? []))
        } + dataSources.map {
            Node(address: $0.address, properties: $0.properties, dependencies: $0.dependencies,
                 paths: $0.sensitivePaths + (catalog.dataSchema($0.type)?.sensitivePaths ?? []))
        }
        let marks = derive(nodes)
        var outSpecs = specs
        for i in specs.indices { outSpecs[i].sensitivePaths = marks[i].paths }
        var outData = dataSources
        for i in dataSources.indices { outData[i].sensitivePaths = marks[specs.count + i].paths }
        return (outSpecs, outData)
    }

    private static func derive(_ nodes: [Node]) -> [SensitiveMarks] {
        var index: [ResourceAddress: Int] = [:]
        index.reserveCapacity(nodes.count)
        for i in nodes.indices { index[nodes[i].address] = i }
        // A cycle was reported already; any order then gives the marks of the nodes outside it.
        let order = IndexedGraph.topologicalOrder(dependencies: nodes.indices.map { nodes[$0].dependencies.compactMap { index[$0] } })
            ?? Array(nodes.indices)
        var marks = [SensitiveMarks](repeating: SensitiveMarks([]), count: nodes.count)
        for i in order {
            var paths = nodes[i].paths
            // Nothing written refers to another object: its marks are what it has of its own.
            guard !nodes[i].dependencies.isEmpty else {
                if !paths.isEmpty { marks[i] = SensitiveMarks(paths) }
                continue
            }
            for (key, expression) in nodes[i].properties where expression.hasReferences {
                paths += sensitivePaths(in: expression, at: AttributePath([.key(key)])) { reference in
                    guard let target = index[reference.address] else { return false }
                    return marks[target].touches(reference.path)
                }
            }
            marks[i] = SensitiveMarks(paths)
        }
        return marks
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
