import TendModel

/// One step of an attribute path as the plugin protocol spells it: an attribute of an object, a key of a map, or an
/// index of a list or tuple (sets have no steps of their own in the protocol).
public enum PluginPathStep: Sendable, Hashable, Codable {
    case attribute(String)
    case key(String)
    case index(Int64)

    /// Terraform's text for a path: `rule[1].port`, `tags["env"]`; empty for the empty path.
    public static func render(_ steps: [PluginPathStep]) -> String {
        var out = ""
        for step in steps {
            switch step {
            case let .attribute(name): out += out.isEmpty ? name : "." + name
            case let .key(key): out += "[" + Value.quote(key) + "]"
            case let .index(index): out += "[\(index)]"
            }
        }
        return out
    }

    /// tend's path for the same place: attributes and keys become `.key`, indexes `.index`. Nil for an empty path
    /// or an index beyond `Int`.
    public static func attributePath(_ steps: [PluginPathStep]) -> AttributePath? {
        guard !steps.isEmpty else { return nil }
        var components: [AttributePath.Component] = []
        for step in steps {
            switch step {
            case let .attribute(name), let .key(name): components.append(.key(name))
            case let .index(index):
                guard let narrow = Int(exactly: index) else { return nil }
                components.append(.index(narrow))
            }
        }
        return AttributePath(components)
    }
}
