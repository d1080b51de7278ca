import TendGraph
import TendModel

/// Finds dependency cycles among resource instances and data sources and reports one error per cycle.
enum DependencyChecker {
    /// One node of the graph: a resource instance or a data source.
    struct Node {
        var address: ResourceAddress
        var dependencies: [ResourceAddress]
        var location: SourceLocation?
    }

    static func check(_ specs: [ResourceSpec], dataSources: [DataSourceSpec] = [], diagnostics: inout DiagnosticList) {
        let specs = specs.map { Node(address: $0.address, dependencies: $0.dependencies, location: $0.location) }
            + dataSources.map { Node(address: $0.address, dependencies: $0.dependencies, location: $0.location) }
        // Fast path: an order exists, so there is no cycle to name.
        var index: [ResourceAddress: Int] = [:]
        index.reserveCapacity(specs.count)
        for i in specs.indices { index[specs[i].address] = i }
        if IndexedGraph.topologicalOrder(dependencies: specs.indices.map { specs[$0].dependencies.compactMap { index[$0] } }) != nil,
           specs.indices.allSatisfy({ specs[$0].dependencies.allSatisfy { index[$0] != nil } }) {
            return
        }
        var graph = Graph<ResourceAddress>()
        var locations: [ResourceAddress: SourceLocation] = [:]
        for spec in specs {
            graph.add(spec.address)
            locations[spec.address] = spec.location
            for dependency in spec.dependencies { graph.add(spec.address, dependsOn: dependency) }
        }
        for members in graph.cycles() {
            guard let first = members.first else { continue }
            let path = cyclePath(members, graph: graph)
            let covered = Set(path)
            let others = members.filter { !covered.contains($0) }
            var summary = "dependency cycle: " + (path + [first]).map(\.description).joined(separator: " -> ")
            if !others.isEmpty { summary += " (also involving " + others.map(\.description).joined(separator: ", ") + ")" }
            diagnostics.error(summary, at: locations[first], address: first.description)
        }
    }

    /// A cycle from the smallest member through every member when one is found quickly, else the shortest one.
    static func cyclePath(_ members: [ResourceAddress], graph: Graph<ResourceAddress>) -> [ResourceAddress] {
        guard let start = members.first else { return [] }
        let inside = Set(members)
        func next(_ node: ResourceAddress) -> [ResourceAddress] {
            graph.dependencies(of: node).filter { inside.contains($0) }.sorted()
        }
        var budget = 20_000
        var path = [start]
        var visited: Set<ResourceAddress> = [start]
        func search() -> Bool {
            budget -= 1
            guard budget > 0, let last = path.last else { return false }
            if path.count == members.count { return next(last).contains(start) }
            for candidate in next(last) where !visited.contains(candidate) {
                path.append(candidate)
                visited.insert(candidate)
                if search() { return true }
                path.removeLast()
                visited.remove(candidate)
            }
            return false
        }
        if search() { return path }
        // Shortest cycle back to start, breadth first.
        var previous: [ResourceAddress: ResourceAddress] = [:]
        var queue = [start]
        var index = 0
        while index < queue.count {
            let node = queue[index]
            index += 1
            for candidate in next(node) {
                if candidate == start {
                    var chain = [node]
                    while let p = previous[chain[0]] { chain.insert(p, at: 0) }
                    return chain
                }
                if previous[candidate] == nil, candidate != start {
                    previous[candidate] = node
                    queue.append(candidate)
                }
            }
        }
        return [start]
    }
}
