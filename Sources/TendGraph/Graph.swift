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
        // Tarjan's algorithm on integer indices, iterative so deep graphs cannot overflow the stack.
        let sortedNodes = nodes.sorted()
        var indexOf: [Node: Int] = [:]
        indexOf.reserveCapacity(sortedNodes.count)
        for (i, node) in sortedNodes.enumerated() { indexOf[node] = i }
        let edges: [[Int]] = sortedNodes.map { node in dependencies(of: node).compactMap { indexOf[$0] }.sorted() }
        let count = sortedNodes.count
        var order = [Int](repeating: -1, count: count)
        var lowLink = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var stack: [Int] = []
        var counter = 0
        var result: [[Node]] = []
        for root in 0..<count where order[root] < 0 {
            var work: [(node: Int, next: Int)] = [(root, 0)]
            order[root] = counter
            lowLink[root] = counter
            counter += 1
            stack.append(root)
            onStack[root] = true
            while let frame = work.last {
                let node = frame.node
                if frame.next < edges[node].count {
                    work[work.count - 1].next += 1
                    let child = edges[node][frame.next]
                    if order[child] < 0 {
                        order[child] = counter
                        lowLink[child] = counter
                        counter += 1
                        stack.append(child)
                        onStack[child] = true
                        work.append((child, 0))
                    } else if onStack[child] {
                        lowLink[node] = min(lowLink[node], order[child])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.node { lowLink[parent] = min(lowLink[parent], lowLink[node]) }
                guard lowLink[node] == order[node] else { continue }
                var component: [Int] = []
                while let top = stack.popLast() {
                    onStack[top] = false
                    component.append(top)
                    if top == node { break }
                }
                if component.count > 1 || edges[node].contains(node) {
                    result.append(component.sorted().map { sortedNodes[$0] })
                }
            }
        }
        return result.sorted { lhs, rhs in
            guard let l = lhs.first, let r = rhs.first else { return lhs.count < rhs.count }
            return l < r
        }
    }

    /// Dependencies first; ties broken by node order. Nil when there is a cycle.
    public func topologicalOrder() -> [Node]? {
        var remaining: [Node: Int] = [:]
        var ready = Heap<Node>()
        for node in nodes {
            let count = dependencies(of: node).count
            remaining[node] = count
            if count == 0 { ready.push(node) }
        }
        var order: [Node] = []
        order.reserveCapacity(nodes.count)
        while let node = ready.pop() {
            order.append(node)
            for dependent in dependents(of: node) {
                let left = (remaining[dependent] ?? 1) - 1
                remaining[dependent] = left
                if left == 0 { ready.push(dependent) }
            }
        }
        return order.count == nodes.count ? order : nil
    }
}
