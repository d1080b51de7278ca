import TendModel

/// The elements of an array found by address, without a second copy of each: a plan of 10,000 resources keeps its
/// specs and records once, and the lookup holds only where each one is. The first element of an address wins.
struct AddressIndex<Element: Sendable>: Sendable {
    let elements: [Element]
    private let positions: [ResourceAddress: Int]

    init(_ elements: [Element], address: (Element) -> ResourceAddress) {
        self.elements = elements
        var positions: [ResourceAddress: Int] = [:]
        positions.reserveCapacity(elements.count)
        for index in elements.indices {
            let key = address(elements[index])
            if positions[key] == nil { positions[key] = index }
        }
        self.positions = positions
    }

    subscript(_ address: ResourceAddress) -> Element? {
        positions[address].map { elements[$0] }
    }
}

extension AddressIndex where Element == ResourceSpec {
    init(_ specs: [ResourceSpec]) { self.init(specs, address: \.address) }
}

extension AddressIndex where Element == ResourceRecord {
    init(_ records: [ResourceRecord]) { self.init(records, address: \.address) }
}
