import TendGraph
import TendModel

/// Marks each spec's sensitive property paths, so sensitivity travels with values: the type's sensitive attributes,
/// what the builder marked (properties written with a sensitive variable or each.* of a sensitive for_each), and, in
/// dependency order, every property that refers to a sensitive value of another spec, through any chain of references.
enum SensitivityDeriver {
    /// The resource instances, then the data sources, as far as sensitivity is concerned: read from the specs where
    /// they are, field by field, rather than gathered into nodes (ten thousand nodes cost a reference count per field
    /// to build and as many again to free).
    private struct Nodes {
        let specs: [ResourceSpec]
        let dataSources: [DataSourceSpec]
        /// Each type's sensitive attributes, looked up once.
        let typePaths: [String: [AttributePath]]
        let catalog: SchemaCatalog

        var count: Int { specs.count + dataSources.count }

        func address(_ i: Int) -> ResourceAddress {
            i < specs.count ? specs[i].address : dataSources[i - specs.count].address
        }

        func properties(_ i: Int) -> [String: Expression] {
            i < specs.count ? specs[i].properties : dataSources[i - specs.count].properties
        }

        func dependencies(_ i: Int) -> [ResourceAddress] {
            i < specs.count ? specs[i].dependencies : dataSources[i - specs.count].dependencies
        }

        /// What the builder marked, and the type's sensitive attributes.
        func paths(_ i: Int) -> [AttributePath] {
            if i < specs.count { return SensitivityDeriver.joined(specs[i].sensitivePaths, typePaths[specs[i].type] ?? []) }
            let source = i - specs.count
            return SensitivityDeriver.joined(dataSources[source].sensitivePaths, catalog.dataSchema(dataSources[source].type)?.sensitivePaths ?? [])
        }
    }

    /// The specs with `sensitivePaths` filled in; same order.
    static func derive(_ specs: [ResourceSpec], catalog: SchemaCatalog) -> [ResourceSpec] {
        derive(specs, dataSources: [], catalog: catalog).specs
    }

    /// The specs and data sources with `sensitivePaths` filled in; same orders. A reference to a data source's
    /// sensitive attribute (or to a property derived from a sensitive value) is sensitive like one to a resource's.
    /// The specs are taken, not copied: their marks are written into them in place.
    static func derive(_ specs: consuming [ResourceSpec], dataSources: consuming [DataSourceSpec],
                       catalog: SchemaCatalog) -> (specs: [ResourceSpec], dataSources: [DataSourceSpec]) {
        var outSpecs = specs
        var outData = dataSources
        apply(marks(outSpecs, dataSources: outData, catalog: catalog), to: &outSpecs, dataSources: &outData)
        return (outSpecs, outData)
    }

    /// Each spec's marks, then each data source's, without changing either: work that can run beside other reads
    /// of the same specs, written into them afterwards with `apply(_:to:dataSources:)`.
    static func marks(_ specs: [ResourceSpec], dataSources: [DataSourceSpec], catalog: SchemaCatalog) -> [SensitiveMarks] {
        // Each type's sensitive attributes once, not once per instance.
        var typePaths: [String: [AttributePath]] = [:]
        // By index, field by field: a spec copied whole per instance costs more than the node built from it.
        for i in specs.indices where typePaths[specs[i].type] == nil {
            typePaths[specs[i].type] = catalog[specs[i].type]?.sensitivePaths ?? []
        }
        return derive(Nodes(specs: specs, dataSources: dataSources, typePaths: typePaths, catalog: catalog))
    }

    /// Writes marks from `marks(_:dataSources:catalog:)` into the specs and data sources they were derived from.
    static func apply(_ marks: [SensitiveMarks], to specs: inout [ResourceSpec], dataSources: inout [DataSourceSpec]) {
        for i in specs.indices { specs[i].sensitivePaths = marks[i].paths }
        for i in dataSources.indices { dataSources[i].sensitivePaths = marks[specs.count + i].paths }
    }

    /// `first + second`, without a new array when either is empty (the type's list is then shared by every instance).
    private static func joined(_ first: [AttributePath], _ second: [AttributePath]) -> [AttributePath] {
        if first.isEmpty { return second }
        if second.isEmpty { return first }
        return first + second
    }

    private static func derive(_ nodes: Nodes) -> [SensitiveMarks] {
        var index: [ResourceAddress: Int] = [:]
        index.reserveCapacity(nodes.count)
        for i in 0..<nodes.count { index[nodes.address(i)] = i }
        // A cycle was reported already; any order then gives the marks of the nodes outside it.
        let order = IndexedGraph.topologicalOrder(dependencies: (0..<nodes.count).map { nodes.dependencies($0).compactMap { index[$0] } })
            ?? Array(0..<nodes.count)
        var marks = [SensitiveMarks](repeating: SensitiveMarks([]), count: nodes.count)
        for i in order {
            var paths = nodes.paths(i)
            // Nothing written refers to another object, or nothing it refers to has a mark: its marks are what it
            // has of its own.
            let marked = nodes.dependencies(i).contains { dependency in index[dependency].map { !marks[$0].isEmpty } ?? false }
            guard marked else {
                if !paths.isEmpty { marks[i] = SensitiveMarks(paths) }
                continue
            }
            for (key, expression) in nodes.properties(i) where expression.hasReferences {
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
