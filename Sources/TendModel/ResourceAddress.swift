/// The address of one resource instance: `web`, `site["a"]`, `disk[0]`.
public struct ResourceAddress: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The instance key of a for_each or count resource.
    public enum InstanceKey: Sendable, Hashable, Codable {
        case string(String)
        case index(Int)

        /// Inlined where it is used (see `ResourceAddress.==`).
        @inlinable
        public static func == (lhs: InstanceKey, rhs: InstanceKey) -> Bool {
            switch (lhs, rhs) {
            case let (.string(a), .string(b)): a == b
            case let (.index(a), .index(b)): a == b
            default: false
            }
        }
    }

    /// The resource's name in the manifest.
    public var name: String
    /// The instance key, nil for a single resource.
    public var key: InstanceKey?

    /// Field by field, inlined where it is used: through the derived comparison, `record.address == address` copied
    /// the whole record or spec holding the address (each of its fields retained and released) to compare it. The
    /// derived comparisons of this module's enums did the same (`ResourceRecord.Status`, `ChangeAction`, ...).
    @inlinable
    public static func == (lhs: ResourceAddress, rhs: ResourceAddress) -> Bool {
        lhs.name == rhs.name && lhs.key == rhs.key
    }

    public init(name: String, key: InstanceKey? = nil) {
        self.name = name
        self.key = key
    }

    public var description: String {
        switch key {
        case nil: return name
        case let .string(k)?: return "\(name)[\"\(k)\"]"
        case let .index(i)?: return "\(name)[\(i)]"
        }
    }

    /// Parses `name`, `name["key"]` or `name[0]`.
    public init?(parsing text: String) {
        guard let open = text.firstIndex(of: "[") else {
            guard ResourceAddress.isValidName(text) else { return nil }
            self.init(name: text)
            return
        }
        let name = String(text[..<open])
        guard ResourceAddress.isValidName(name), text.hasSuffix("]") else { return nil }
        let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
        if inner.count >= 2, inner.hasPrefix("\""), inner.hasSuffix("\"") {
            self.init(name: name, key: .string(String(inner.dropFirst().dropLast())))
        } else if let i = Int(inner) {
            self.init(name: name, key: .index(i))
        } else {
            return nil
        }
    }

    /// The address of data source `name`: `data.NAME`. Data sources share the address space of resources under a
    /// name no resource can have (resource names hold no dot), so references, dependencies and the dependency graph
    /// treat both alike.
    public static func dataSource(_ name: String) -> ResourceAddress {
        ResourceAddress(name: ResourceAddress.dataSourcePrefix + name)
    }

    /// Whether this is the address of a data source (`data.NAME`).
    public var isDataSource: Bool { name.hasPrefix(ResourceAddress.dataSourcePrefix) }

    /// What a data source address starts with.
    public static let dataSourcePrefix = "data."

    /// Resource names: a letter or underscore, then letters, digits, `_` or `-`.
    public static func isValidName(_ name: String) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.allSatisfy {
            isLetter($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
    }

    public static func < (lhs: ResourceAddress, rhs: ResourceAddress) -> Bool {
        if lhs.name != rhs.name { return lhs.name < rhs.name }
        switch (lhs.key, rhs.key) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case let (.index(a)?, .index(b)?): return a < b
        case let (.string(a)?, .string(b)?): return a < b
        case (.index?, .string?): return true
        case (.string?, .index?): return false
        }
    }
}
