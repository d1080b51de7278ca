import Foundation
import TendModel

/// Compares attribute values by their schema: typed by the attribute's type (so a set compares as a set whichever
/// side was read as a list, as from state written as JSON) and then under its normalisation rule.
public enum ValueComparison {
    /// Whether two values of one attribute mean the same thing.
    public static func isEquivalent(_ a: Value?, _ b: Value?, attribute: AttributeSchema) -> Bool {
        let left = normalise(attribute.type.typed(a ?? .null), attribute.normalisation)
        let right = normalise(attribute.type.typed(b ?? .null), attribute.normalisation)
        return left == right
    }

    /// The canonical form of a value under a normalisation.
    public static func normalise(_ value: Value, _ normalisation: AttributeSchema.Normalisation) -> Value {
        switch (normalisation, value) {
        case let (.fileMode, .string(s)):
            if let n = Int64(s, radix: 8) { return .number(Number(n)) }
            return value
        case let (.fileMode, .number(n)):
            // A YAML 644 read as a number means octal 644.
            if let octal = Int64(n.description, radix: 8) { return .number(Number(octal)) }
            return value
        case let (.json, .string(s)):
            // Numbers stay exact: `1e300` and `1.0e300` are the same document, `9007199254740993` is not `...992`.
            // Text that is not JSON is compared as text: the normalisation only decides equality, never fails it.
            guard let decoded = try? JSONValueParser.parse(s) else { return value }
            return decoded
        case let (_, .map(m)) where m.isEmpty:
            return .null
        case let (_, .list(l)) where l.isEmpty:
            return .null
        case let (_, .set(s)) where s.isEmpty:
            return .null
        default:
            return value
        }
    }

    /// The leaf paths under `path` where `a` and `b` differ. Maps recurse by key; anything else compares whole.
    public static func differingPaths(_ a: Value?, _ b: Value?, at path: AttributePath,
                                      attribute: AttributeSchema) -> [AttributePath] {
        // Equal values are equivalent under every type and normalisation; most attributes of most resources are.
        if a == b { return [] }
        if case let .map(left)? = a, case let .map(right)? = b, attribute.normalisation == .none {
            var out: [AttributePath] = []
            for key in Set(left.keys).union(right.keys).sorted() {
                let item = AttributeSchema(attribute.type.elementType(forKey: key), attribute.mode)
                out += differingPaths(left[key], right[key], at: path.appending(.key(key)), attribute: item)
            }
            return out
        }
        return isEquivalent(a, b, attribute: attribute) ? [] : [path]
    }
}
