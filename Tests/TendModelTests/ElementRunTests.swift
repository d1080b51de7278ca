import Testing
import TendModel

@Suite struct ElementRunTests {
    /// A run holding one counted element per value, appended one by one (growing past `capacity`).
    static func run(of values: Range<Int>, freed: FreeCounter, capacity: Int = 0) -> ElementRun<Counted> {
        let run = ElementRun<Counted>(capacity: capacity)
        for value in values { run.append(Counted(value, freed: freed)) }
        return run
    }

    @Test func readsInPlaceAndJoinsRunAfterRunLeavingThemEmpty() {
        let freed = FreeCounter()
        let first = Self.run(of: 0..<40, freed: freed)
        let second = Self.run(of: 100..<105, freed: freed, capacity: 2)
        #expect(first[39].value == 39)
        #expect(second[0].value == 100)
        do {
            let joined = ElementRun.joined([first, ElementRun<Counted>(), second])
            #expect(joined.map(\.value) == Array(0..<40) + Array(100..<105))
            #expect(first.count == 0)
            #expect(second.count == 0)
            #expect(freed.count.load(ordering: .relaxed) == 0)
        }
        #expect(freed.count.load(ordering: .relaxed) == 45)
    }

    @Test func aRunNeverJoinedFreesWhatItHolds() {
        let freed = FreeCounter()
        do {
            let run = Self.run(of: 0..<20, freed: freed)
            #expect(run.count == 20)
        }
        #expect(freed.count.load(ordering: .relaxed) == 20)
    }

    /// Drained into an array, a run's elements are moved there (freed once, with the array); what was not taken is
    /// freed with the run.
    @Test func drainingMovesWhatIsTakenAndTheRunFreesTheRest() {
        let freed = FreeCounter()
        do {
            let run = Self.run(of: 0..<10, freed: freed)
            var taken: [Counted] = []
            taken.append(contentsOf: run.drain().prefix(4))
            #expect(taken.map(\.value) == [0, 1, 2, 3])
            #expect(run.count == 6)
            #expect(run[0].value == 4)
            var all = taken
            all.append(contentsOf: run.drain())
            #expect(all.map(\.value) == Array(0..<10))
            #expect(run.count == 0)
            #expect(freed.count.load(ordering: .relaxed) == 0)
            let rest = Self.run(of: 0..<3, freed: freed)
            _ = rest.drain().first { $0.value == 0 }
            #expect(rest.count == 2)
        }
        #expect(freed.count.load(ordering: .relaxed) == 13)
    }
}
