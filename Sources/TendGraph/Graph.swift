// TendGraph owns a generic directed acyclic graph: cycle detection, a
// deterministic topological order, and a bounded parallel walk that skips the
// dependents of a failure. It imports nothing of tend's.

/// A directed graph whose edges point from a node to the nodes it depends on.
public struct Graph<Node: Hashable & Comparable & Sendable>: Sendable {
    /// Every node.
    public private(set) var nodes: Set<Node> = []
    /// node → the nodes it depends on.
    public private(set) var dependencies: [Node: Set<Node>] = [:]
    /// node → the nodes that depend on it.
    public private(set) var dependents: [Node: Set<Node>] = [:]

    public init() {}

    /// Adds a node with no edges.
    public mutating func add(_ node: Node) {
        nodes.insert(node)
    }

    /// Adds an edge: `node` depends on `dependency`. Both become nodes.
    public mutating func add(_ node: Node, dependsOn dependency: Node) {
        nodes.insert(node)
        nodes.insert(dependency)
        dependencies[node, default: []].insert(dependency)
        dependents[dependency, default: []].insert(node)
    }

    /// The nodes `node` depends on.
    public func dependencies(of node: Node) -> Set<Node> { dependencies[node] ?? [] }

    /// The nodes that depend on `node`.
    public func dependents(of node: Node) -> Set<Node> { dependents[node] ?? [] }

    /// Every cycle, each as its sorted members (strongly connected components of more than one node, or self-loops).
    public func cycles() -> [[Node]] {
        var index = 0
        var indices: [Node: Int] = [:]
        var lowLinks: [Node: Int] = [:]
        var stack: [Node] = []
        var onStack: Set<Node> = []
        var result: [[Node]] = []

        // Iterative Tarjan, so deep graphs cannot overflow the stack.
        for root in nodes.sorted() where indices[root] == nil {
            var work: [(node: Node, children: [Node], next: Int)] = []
            func push(_ n: Node) {
                indices[n] = index
                lowLinks[n] = index
                index += 1
                stack.append(n)
                onStack.insert(n)
                work.append((n, dependencies(of: n).sorted(), 0))
            }
            push(root)
            while var frame = work.popLast() {
                if frame.next < frame.children.count {
                    let child = frame.children[frame.next]
                    frame.next += 1
                    work.append(frame)
                    if indices[child] == nil {
                        push(child)
                    } else if onStack.contains(child) {
                        lowLinks[frame.node] = min(lowLinks[frame.node] ?? 0, indices[child] ?? 0)
                    }
                    continue
                }
                if let parent = work.last {
                    lowLinks[parent.node] = min(lowLinks[parent.node] ?? 0, lowLinks[frame.node] ?? 0)
                }
                if lowLinks[frame.node] == indices[frame.node] {
                    var component: [Node] = []
                    while let top = stack.popLast() {
                        onStack.remove(top)
                        component.append(top)
                        if top == frame.node { break }
                    }
                    if component.count > 1 || dependencies(of: frame.node).contains(frame.node) {
                        result.append(component.sorted())
                    }
                }
            }
        }
        return result.sorted { ($0.first.map { [$0] } ?? []).lexicographicallyPrecedes($1.first.map { [$0] } ?? []) }
    }

    /// Dependencies first; ties broken by node order. Nil when there is a cycle.
    public func topologicalOrder() -> [Node]? {
        var remaining: [Node: Int] = [:]
        for node in nodes { remaining[node] = dependencies(of: node).count }
        var ready = nodes.filter { remaining[$0] == 0 }.sorted(by: >)
        var order: [Node] = []
        order.reserveCapacity(nodes.count)
        while let node = ready.popLast() {
            order.append(node)
            var released: [Node] = []
            for dependent in dependents(of: node) {
                let left = (remaining[dependent] ?? 1) - 1
                remaining[dependent] = left
                if left == 0 { released.append(dependent) }
            }
            if !released.isEmpty {
                ready.append(contentsOf: released)
                ready.sort(by: >)
            }
        }
        return order.count == nodes.count ? order : nil
    }

    /// The same nodes with every edge turned around (for deletes: dependents first).
    public func reversed() -> Graph {
        var graph = Graph()
        for node in nodes { graph.add(node) }
        for (node, deps) in dependencies {
            for dep in deps { graph.add(dep, dependsOn: node) }
        }
        return graph
    }

    /// Every node that depends on `node`, directly or not.
    public func transitiveDependents(of node: Node) -> Set<Node> {
        var seen: Set<Node> = []
        var queue = Array(dependents(of: node))
        while let next = queue.popLast() {
            if seen.insert(next).inserted { queue.append(contentsOf: dependents(of: next)) }
        }
        return seen
    }
}
