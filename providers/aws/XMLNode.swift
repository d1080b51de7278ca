/// A small XML element tree for AWS responses: name, text, children. Namespaces are dropped.
public final class XMLNode: @unchecked Sendable {
    /// The element name without a namespace prefix.
    public let name: String
    /// The element's own text, trimmed.
    public internal(set) var text: String = ""
    public internal(set) var children: [XMLNode] = []

    init(name: String) {
        self.name = name
    }

    /// The first child with that name.
    public func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// Every child with that name.
    public func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// The text of the first child with that name.
    public func string(_ name: String) -> String? { child(name)?.text }

    /// The child reached by following names: `node.path("vpcSet", "item")`.
    public func path(_ names: String...) -> XMLNode? {
        var node: XMLNode? = self
        for name in names { node = node?.child(name) }
        return node
    }

    /// The `item` (or `member`) children of a list element, AWS's list shapes.
    public var items: [XMLNode] { children.filter { $0.name == "item" || $0.name == "member" } }

    /// Every descendant with that name, depth first.
    public func descendants(_ name: String) -> [XMLNode] {
        var out: [XMLNode] = []
        for child in children {
            if child.name == name { out.append(child) }
            out += child.descendants(name)
        }
        return out
    }

    /// Parses a document; nil when it is not well-formed XML (`XMLReader` says what it takes).
    public static func parse(_ bytes: [UInt8]) -> XMLNode? {
        XMLReader.parse(bytes)
    }

    /// The first element, depth first, whose name equals `name` ignoring case and that has no child elements.
    func firstLeaf(namedIgnoringCase name: String) -> XMLNode? {
        if children.isEmpty, self.name.lowercased() == name { return self }
        for child in children {
            if let found = child.firstLeaf(namedIgnoringCase: name) { return found }
        }
        return nil
    }
}
