import Testing
import TendModel

@Suite struct AddressSortTests {
    struct Item: Equatable {
        var address: ResourceAddress
        var tag: Int
    }

    /// Sorting by address orders as ResourceAddress's `<` does, stably, over names, no keys, index keys (10 before
    /// 9, unlike their text) and string keys, with repeated addresses; an ordered array comes back as it is.
    @Test(arguments: [0, 1, 2, 17, 500, 3000])
    func ordersAsAddressesCompareAndKeepsTiesInPlace(count: Int) {
        var generator = SplitMix(seed: UInt64(count) &+ 7)
        let names = ["web", "db", "f000", "f001", "a", "web2", "zz"]
        let items = (0..<count).map { tag -> Item in
            let name = names[Int(generator.next() % UInt64(names.count))]
            let key: ResourceAddress.InstanceKey?
            switch generator.next() % 3 {
            case 0: key = nil
            case 1: key = .index(Int(generator.next() % 30))
            default: key = .string(["b", "a", "10", "9", "é"][Int(generator.next() % 5)])
            }
            return Item(address: ResourceAddress(name: name, key: key), tag: tag)
        }
        let expected = items.indices.sorted { a, b in
            items[a].address < items[b].address || (!(items[b].address < items[a].address) && a < b)
        }.map { items[$0] }
        let sorted = items.sorted(byKey: \.address)
        #expect(sorted == expected)
        #expect(sorted.sorted(byKey: \.address) == sorted)
    }

    /// A small deterministic generator, so a failure repeats.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
