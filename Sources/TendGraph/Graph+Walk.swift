/// How one node of a walk ended.
public enum WalkOutcome: Sendable, Hashable {
    case succeeded
    case failed
    /// Not run because something it depends on failed (or was skipped).
    case skipped
    /// Not run because the walk was cancelled.
    case cancelled
}

extension Graph {
    /// Visits every node after its dependencies, at most `parallelism` at once.
    /// A node whose visit returns false (or throws) fails; its dependents are skipped; independent nodes continue.
    public func walk(parallelism: Int, _ visit: @escaping @Sendable (Node) async -> Bool) async -> [Node: WalkOutcome] {
        var outcomes: [Node: WalkOutcome] = [:]
        var remaining: [Node: Int] = [:]
        for node in nodes { remaining[node] = dependencies(of: node).count }
        var ready = Heap<Node>()
        for node in nodes where remaining[node] == 0 { ready.push(node) }
        let limit = max(1, parallelism)

        await withTaskGroup(of: (Node, Bool).self) { group in
            var running = 0
            func settle(_ node: Node, _ outcome: WalkOutcome) {
                outcomes[node] = outcome
                for dependent in dependents(of: node).sorted() where outcomes[dependent] == nil {
                    if outcome != .succeeded {
                        markSkipped(dependent)
                    } else {
                        let left = (remaining[dependent] ?? 1) - 1
                        remaining[dependent] = left
                        if left == 0 { ready.push(dependent) }
                    }
                }
            }
            func markSkipped(_ node: Node) {
                guard outcomes[node] == nil else { return }
                outcomes[node] = .skipped
                for dependent in dependents(of: node) { markSkipped(dependent) }
            }
            while true {
                while running < limit, let node = ready.pop() {
                    if outcomes[node] != nil { continue }
                    if Task.isCancelled {
                        outcomes[node] = .cancelled
                        continue
                    }
                    running += 1
                    group.addTask { (node, await visit(node)) }
                }
                guard running > 0, let (node, ok) = await group.next() else { break }
                running -= 1
                settle(node, ok ? .succeeded : .failed)
            }
        }
        for node in nodes where outcomes[node] == nil { outcomes[node] = .cancelled }
        return outcomes
    }
}
