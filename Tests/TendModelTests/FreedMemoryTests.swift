import Dispatch
import Testing
import TendModel

@Suite struct FreedMemoryTests {
    /// The value handed over is freed, once, and the caller holds no reference to it afterwards.
    @Test func aValueDroppedElsewhereIsFreed() async throws {
        let freed = FreeCounter()
        FreedMemory.dropElsewhere([Counted(1, freed: freed), Counted(2, freed: freed)])
        var waited = 0
        while freed.count.load(ordering: .relaxed) < 2, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(freed.count.load(ordering: .relaxed) == 2)
    }
}
