#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation

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

    /// Parses a document; nil when it is not well-formed XML.
    public static func parse(_ bytes: [UInt8]) -> XMLNode? {
        guard isReadable(bytes) else { return nil }
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse() else { return nil }
        return builder.root
    }

    /// Whether Foundation's XMLParser may be given these bytes: they must be UTF-8 (what AWS sends), and any encoding
    /// the XML declaration names must be UTF-8 too. FoundationXML traps on an element name that is not UTF-8
    /// (found by fuzzing: one byte 0xEF in a tag name ends the process), so anything else is refused before it.
    static func isReadable(_ bytes: [UInt8]) -> Bool {
        guard let text = String(bytes: bytes, encoding: .utf8) else { return false }
        let start = text.drop { $0.isWhitespace }
        guard start.hasPrefix("<?xml"), let end = start.firstIndex(of: ">") else { return true }
        let declaration = start[..<end].lowercased()
        guard let at = declaration.range(of: "encoding") else { return true }
        let value = declaration[at.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        return value.hasPrefix("utf-8") || value.hasPrefix("utf8")
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var stack: [XMLNode] = []
        var buffer = ""

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            let node = XMLNode(name: local)
            stack.last?.children.append(node)
            if root == nil { root = node }
            stack.append(node)
            buffer = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            buffer += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            if let node = stack.popLast(), node.children.isEmpty {
                node.text = buffer.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            buffer = ""
        }
    }
}
