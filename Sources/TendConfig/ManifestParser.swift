import TendModel
import Yams

/// Turns the text of one YAML or JSON file into a `ManifestNode`, or a diagnostic saying where it is malformed.
struct ManifestParser {
    /// A syntax error, as a diagnostic.
    struct Failure: Error {
        var diagnostic: Diagnostic
    }

    /// The path shown in diagnostics.
    var file: String
    var text: String

    /// What the text may ask for; `ManifestLimits.standard` unless a caller says otherwise.
    var limits = ManifestLimits.standard

    init(file: String, text: String, limits: ManifestLimits = .standard) {
        self.file = file
        self.text = text
        self.limits = limits
    }

    /// The root node (nil for an empty file), or the syntax error or exceeded limit.
    func parse() -> Result<ManifestNode?, Failure> {
        var composer = ManifestComposer(file: file, text: text, syntaxName: syntaxName, limits: limits)
        do {
            return .success(try composer.compose())
        } catch {
            return .failure(Failure(diagnostic: error.diagnostic))
        }
    }

    /// What the file is written in, for messages.
    private var syntaxName: String { file.lowercased().hasSuffix(".json") ? "JSON" : "YAML" }

    /// The kind of a scalar with an explicit tag (nil for a plain scalar, whose kind its text decides).
    static func kind(of text: String, tag: String?) -> ManifestNode.Scalar.Kind {
        let name: Tag.Name
        if let tag {
            name = tag == Tag.Name.nonSpecific.rawValue ? .str : Tag.Name(rawValue: tag)
        } else {
            switch YAMLScalarResolver.resolve(text) {
            case .null: name = .null
            case .bool: name = .bool
            case .int: name = .int
            case .float: name = .float
            case .string: return .string
            }
        }
        // The basic resolver: the kind is decided already, and the default one compiles regular expressions on first use.
        let node = Node(text, Tag(name, Resolver.basic, Constructor.default))
        switch name {
        case .null: return .null
        case .bool: return node.bool.map { .bool($0) } ?? .string
        case .int: return integer(node, text).map { .number($0) } ?? .string
        case .float: return float(node, text).map { .number($0) } ?? .string
        default: return .string
        }
    }

    /// An integer as YAML reads it (`0x1F`, `0o17`, `017`, `1_000`); a decimal beyond 64 bits keeps its exact value.
    static func integer(_ node: Node, _ text: String) -> Number? {
        if let integer = node.int { return Number(integer) }
        let digits = text.replacingOccurrences(of: "_", with: "")
        let body = digits.hasPrefix("-") || digits.hasPrefix("+") ? digits.dropFirst() : Substring(digits)
        guard let first = body.first, first != "0", body.allSatisfy(\.isASCII), body.allSatisfy(\.isNumber) else { return nil }
        return Number(parsing: digits)
    }

    /// A float as written, exactly (`1e300`, `0.1`); nil for `.inf`, `.nan` and anything else no number holds.
    static func float(_ node: Node, _ text: String) -> Number? {
        if let exact = Number(parsing: text.replacingOccurrences(of: "_", with: "")) { return exact }
        return node.float.flatMap { Number($0) }
    }
}
