/// A strict, small reader of the XML AWS answers with, straight from the bytes into an `XMLNode` tree.
///
/// It takes what AWS sends: an optional BOM and XML declaration, comments and processing instructions, elements with
/// (ignored) attributes, character data with the five predefined entities and character references, and CDATA
/// sections. Anything else is not well-formed and gives nil: bytes that are not UTF-8, a declared encoding other than
/// UTF-8, a DOCTYPE (no entity of a document is ever expanded), an unknown entity, a mismatched or missing end tag,
/// text or a second element outside the root. Names lose their namespace prefix; a leaf element's text is trimmed.
///
/// It replaces Foundation's XMLParser, which went through libxml2 and Foundation's string bridging for every
/// callback: this reads a response in one pass over its bytes, and the process never loads either library.
struct XMLReader {
    private let bytes: [UInt8]
    private var at = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The document's root element; nil when the bytes are not a well-formed document of the kind described above.
    static func parse(_ bytes: [UInt8]) -> XMLNode? {
        guard isUTF8(bytes) else { return nil }
        var reader = XMLReader(bytes)
        return reader.document()
    }

    // MARK: - Document

    private mutating func document() -> XMLNode? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { at = 3 }
        if starts(with: "<?xml"), !isNameByte(peek(5)) {
            guard let declaration = skip(past: "?>"), declaresUTF8(declaration) else { return nil }
        }
        guard miscellany(), peek() == UInt8(ascii: "<"), let root = element(), miscellany(), at == bytes.count else { return nil }
        return root
    }

    /// Skips whitespace, comments and processing instructions around the root; false on anything malformed there.
    private mutating func miscellany() -> Bool {
        while at < bytes.count {
            if isSpace(bytes[at]) {
                at += 1
            } else if starts(with: "<!--") {
                guard skip(past: "-->") != nil else { return false }
            } else if starts(with: "<?") {
                guard skip(past: "?>") != nil else { return false }
            } else {
                return !starts(with: "<!")
            }
        }
        return true
    }

    // MARK: - Elements

    /// The element starting at `<`, its children and text read; nil when it is malformed. Iterative, so depth costs
    /// no stack.
    private mutating func element() -> XMLNode? {
        var open: [(node: XMLNode, name: ArraySlice<UInt8>, text: [UInt8])] = []
        var root: XMLNode?
        repeat {
            guard at < bytes.count else { return nil }
            if bytes[at] == UInt8(ascii: "<") {
                if starts(with: "</") {
                    at += 2
                    guard let name = name() else { return nil }
                    skipSpace()
                    guard take(">"), let top = open.popLast(), top.name == name else { return nil }
                    if top.node.children.isEmpty { top.node.text = Self.trimmed(top.text) }
                } else if starts(with: "<!--") {
                    guard skip(past: "-->") != nil else { return nil }
                } else if starts(with: "<![CDATA[") {
                    at += 9
                    guard let data = skip(past: "]]>"), !open.isEmpty else { return nil }
                    open[open.count - 1].text += data
                } else if starts(with: "<?") {
                    guard skip(past: "?>") != nil else { return nil }
                } else if starts(with: "<!") {
                    return nil
                } else {
                    at += 1
                    guard let name = name() else { return nil }
                    let node = XMLNode(name: Self.localName(name))
                    open.last?.node.children.append(node)
                    if root == nil { root = node }
                    guard let empty = attributes() else { return nil }
                    if !empty { open.append((node, name, [])) }
                }
            } else {
                guard !open.isEmpty, let text = characterData() else { return nil }
                open[open.count - 1].text += text
            }
        } while !open.isEmpty
        return root
    }

    /// Reads the attributes up to `>` or `/>`; whether the element was empty (`/>`), nil when malformed.
    private mutating func attributes() -> Bool? {
        while true {
            let spaced = skipSpace()
            if take("/>") { return true }
            if take(">") { return false }
            guard spaced, name() != nil else { return nil }
            skipSpace()
            guard take("=") else { return nil }
            skipSpace()
            guard at < bytes.count else { return nil }
            let quote = bytes[at]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
            at += 1
            guard let end = bytes[at...].firstIndex(of: quote), !bytes[at..<end].contains(UInt8(ascii: "<")) else { return nil }
            at = end + 1
        }
    }

    /// Character data up to the next `<`, entities and character references replaced; nil on an unknown entity or `]]>`.
    private mutating func characterData() -> [UInt8]? {
        var out: [UInt8] = []
        while at < bytes.count, bytes[at] != UInt8(ascii: "<") {
            let byte = bytes[at]
            if byte == UInt8(ascii: "&") {
                guard let decoded = reference() else { return nil }
                out += decoded
            } else {
                if byte == UInt8(ascii: ">"), at >= 2, bytes[at - 1] == UInt8(ascii: "]"), bytes[at - 2] == UInt8(ascii: "]") {
                    return nil
                }
                out.append(byte)
                at += 1
            }
        }
        return out
    }

    /// `&name;` or `&#N;` / `&#xH;` at `at`, as UTF-8; nil when unknown or not a valid XML character.
    private mutating func reference() -> [UInt8]? {
        guard let semicolon = bytes[at...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { return nil }
        let body = bytes[(at + 1)..<semicolon]
        at = semicolon + 1
        switch String(decoding: body, as: UTF8.self) {
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "amp": return [UInt8(ascii: "&")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        case let name where name.hasPrefix("#x"):
            return Self.character(UInt32(name.dropFirst(2), radix: 16))
        case let name where name.hasPrefix("#"):
            return Self.character(UInt32(name.dropFirst(), radix: 10))
        default:
            return nil
        }
    }

    /// A character reference's code point as UTF-8, when it is a character XML allows.
    private static func character(_ code: UInt32?) -> [UInt8]? {
        guard let code, code == 0x9 || code == 0xA || code == 0xD || code >= 0x20, let scalar = Unicode.Scalar(code),
              code != 0xFFFE, code != 0xFFFF else { return nil }
        return Array(String(Character(scalar)).utf8)
    }

    // MARK: - Bytes

    /// A name (letters, digits, `_`, `-`, `.`, `:` and any non-ASCII UTF-8) at `at`; nil when there is none.
    private mutating func name() -> ArraySlice<UInt8>? {
        let start = at
        guard at < bytes.count, isNameByte(bytes[at]), !isDigit(bytes[at]), bytes[at] != UInt8(ascii: "-"),
              bytes[at] != UInt8(ascii: ".") else { return nil }
        while at < bytes.count, isNameByte(bytes[at]) { at += 1 }
        return bytes[start..<at]
    }

    /// The text after the last `:` of a name.
    private static func localName(_ name: ArraySlice<UInt8>) -> String {
        let local = name.lastIndex(of: UInt8(ascii: ":")).map { name[($0 + 1)...] } ?? name
        return String(decoding: local, as: UTF8.self)
    }

    /// Text with leading and trailing XML whitespace removed.
    private static func trimmed(_ text: [UInt8]) -> String {
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: text[first...last], as: UTF8.self)
    }

    /// Moves past the next `terminator`; the bytes before it, nil when it never comes.
    private mutating func skip(past terminator: StaticString) -> ArraySlice<UInt8>? {
        let pattern = Self.bytes(of: terminator)
        var index = at
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0], bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                let skipped = bytes[at..<index]
                at = index + pattern.count
                return skipped
            }
            index += 1
        }
        return nil
    }

    /// Whether the XML declaration names no encoding or UTF-8.
    private func declaresUTF8(_ declaration: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: declaration, as: UTF8.self).lowercased()
        guard let found = text.firstRange(of: "encoding") else { return true }
        let value = text[found.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        return value.hasPrefix("utf-8") || value.hasPrefix("utf8")
    }

    private func starts(with text: StaticString) -> Bool {
        let pattern = Self.bytes(of: text)
        return at + pattern.count <= bytes.count && bytes[at..<(at + pattern.count)].elementsEqual(pattern)
    }

    private mutating func take(_ text: StaticString) -> Bool {
        guard starts(with: text) else { return false }
        at += text.utf8CodeUnitCount
        return true
    }

    /// Skips whitespace; whether there was any.
    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = at
        while at < bytes.count, isSpace(bytes[at]) { at += 1 }
        return at > start
    }

    private func peek(_ offset: Int = 0) -> UInt8 {
        at + offset < bytes.count ? bytes[at + offset] : 0
    }

    private static func bytes(of text: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private func isSpace(_ byte: UInt8) -> Bool { Self.isSpace(byte) }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private func isNameByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || isDigit(byte)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }

    /// Whether the bytes are valid UTF-8.
    private static func isUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
