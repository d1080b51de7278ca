import TendModel

/// The elements of an array found by address, without a second copy of each: a plan of 10,000 resources keeps its
/// specs and records once, and the lookup holds only where each one is. The first element of an address wins.
struct AddressIndex<Element: Sendable>: Sendable {
    let elements: [Element]
    private let positions: [ResourceAddress: Int]

    init(_ elements: [Element], address: (Element) -> ResourceAddress) {
        self.elements = elements
        // One hash per element: the first position of an address is kept as the later ones arrive.
        positions = Dictionary(elements.indices.map { (address(elements[$0]), $0) }, uniquingKeysWith: { first, _ in first })
    }

    subscript(_ address: ResourceAddress) -> Element? {
        positions[address].map { elements[$0] }
    }

    /// Whether an element has `address`.
    func contains(_ address: ResourceAddress) -> Bool {
        positions[address] != nil
    }

    /// Where in `elements` the element of `address` is: for reading one of its fields without copying it whole.
    func position(of address: ResourceAddress) -> Int? {
        positions[address]
    }
}

extension AddressIndex where Element == ResourceSpec {
    init(_ specs: [ResourceSpec]) { self.init(specs) { $0.address } }
}

extension AddressIndex where Element == ResourceRecord {
    init(_ records: [ResourceRecord]) { self.init(records) { $0.address } }
}
