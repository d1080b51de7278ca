import Synchronization
import TendGraph
import Testing

@Suite struct GraphTests {
    @Test func topologicalOrderPutsDependenciesFirst() throws {
        var graph = Graph<String>()
        graph.add("app", dependsOn: "db")
        graph.add("app", dependsOn: "net")
        graph.add("db", dependsOn: "net")
        graph.add("solo")
        let order = try #require(graph.topologicalOrder())
        #expect(order == ["net", "db", "app", "solo"])
    }

    @Test func cyclesNameEveryMember() {
        var graph = Graph<String>()
        graph.add("a", dependsOn: "b")
        graph.add("b", dependsOn: "c")
        graph.add("c", dependsOn: "a")
        graph.add("d", dependsOn: "a")
        graph.add("e", dependsOn: "e")
        #expect(graph.cycles() == [["a", "b", "c"], ["e"]])
        #expect(graph.topologicalOrder() == nil)
    }

    @Test func walkSkipsDependentsOfFailureAndContinuesOthers() async {
        var graph = Graph<String>()
        graph.add("child", dependsOn: "broken")
        graph.add("grandchild", dependsOn: "child")
        graph.add("other", dependsOn: "base")
        let outcomes = await graph.walk(parallelism: 2) { node in node != "broken" }
        #expect(outcomes["broken"] == .failed)
        #expect(outcomes["child"] == .skipped)
        #expect(outcomes["grandchild"] == .skipped)
        #expect(outcomes["base"] == .succeeded)
        #expect(outcomes["other"] == .succeeded)
    }

    @Test(arguments: [1, 3, 8])
    func walkNeverExceedsParallelismAndRespectsOrder(parallelism: Int) async {
        var graph = Graph<Int>()
        for i in 1..<40 { graph.add(i, dependsOn: i / 3) }
        let running = Mutex(0)
        let peak = Mutex(0)
        let finished = Mutex(Set<Int>())
        let violations = Mutex(0)
        let outcomes = await graph.walk(parallelism: parallelism) { node in
            if node > 0, !finished.withLock({ $0.contains(node / 3) }) { violations.withLock { $0 += 1 } }
            let now = running.withLock { $0 += 1; return $0 }
            peak.withLock { $0 = max($0, now) }
            try? await Task.sleep(nanoseconds: 1_000_000)
            running.withLock { $0 -= 1 }
            finished.withLock { _ = $0.insert(node) }
            return true
        }
        #expect(outcomes.values.allSatisfy { $0 == .succeeded })
        #expect(outcomes.count == 40)
        #expect(peak.withLock { $0 } <= parallelism)
        #expect(violations.withLock { $0 } == 0)
    }
}

@Suite struct IndexedGraphTests {
    @Test func ordersDependenciesFirstWithSmallestIndexTies() {
        // 0 depends on 2; 1 has none; 2 depends on 3.
        #expect(IndexedGraph.topologicalOrder(dependencies: [[2], [], [3], []]) == [1, 3, 2, 0])
    }

    @Test func reportsACycleAsNil() {
        #expect(IndexedGraph.topologicalOrder(dependencies: [[1], [2], [0]]) == nil)
        #expect(IndexedGraph.topologicalOrder(dependencies: [[0]]) == nil)
    }

    @Test func agreesWithTheGenericGraph() throws {
        var graph = Graph<Int>()
        var dependencies: [[Int]] = Array(repeating: [], count: 200)
        for node in 0..<200 {
            graph.add(node)
            for dependency in [node / 2, node / 3] where dependency != node {
                graph.add(node, dependsOn: dependency)
                dependencies[node].append(dependency)
            }
        }
        let generic = try #require(graph.topologicalOrder())
        #expect(generic == IndexedGraph.topologicalOrder(dependencies: dependencies))
    }
}
