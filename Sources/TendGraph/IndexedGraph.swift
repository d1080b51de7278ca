/// Graph algorithms over nodes numbered 0..<count, for large graphs where hashing real node values costs
/// more than the algorithm. Ties break by the smaller index, so callers number nodes in their preferred order.
public enum IndexedGraph {
    /// Dependencies first, ties by index; nil when there is a cycle. `dependencies[i]` lists the nodes i depends on.
    public static func topologicalOrder(dependencies: [[Int]]) -> [Int]? {
        let count = dependencies.count
        var remaining = [Int](repeating: 0, count: count)
        var dependents = [[Int]](repeating: [], count: count)
        for (node, deps) in dependencies.enumerated() {
            for dependency in Set(deps) where dependency >= 0 && dependency < count {
                remaining[node] += 1
                dependents[dependency].append(node)
            }
        }
        var ready = Heap<Int>()
        for node in 0..<count where remaining[node] == 0 { ready.push(node) }
        var order: [Int] = []
        order.reserveCapacity(count)
        while let node = ready.pop() {
            order.append(node)
            for dependent in dependents[node] {
                remaining[dependent] -= 1
                if remaining[dependent] == 0 { ready.push(dependent) }
            }
        }
        return order.count == count ? order : nil
    }
}
