import TendModel

extension ConfigLoader {
    /// A provider block's settings converted to the types the provider declares (`"16"` → 16), with every value
    /// that breaks its type or constraint (`max_concurrency: 1e300`) reported at its place. Settings the provider
    /// does not declare pass through as written.
    func checkedSettings(_ block: [String: Value], of provider: ManifestSet.Declaration,
                         diagnostics: inout DiagnosticList) -> [String: Value] {
        guard let schemas = catalog.providerSettings[provider.name] else { return block }
        var checked = block
        for key in block.keys.sorted() {
            guard let schema = schemas[key], let value = block[key], value != .unknown else { continue }
            let coerced = schema.type.coerce(value)
            checked[key] = coerced
            var problems: [(AttributePath, String)] = []
            if let mismatch = schema.type.mismatch(for: coerced) {
                problems = [mismatch]
            } else if let constraint = schema.constraint {
                problems = constraint.violations(in: coerced)
            }
            let node = provider.node[key]
            for (path, reason) in problems {
                let full = AttributePath([.key(key)] + path.components)
                diagnostics.error("invalid value for setting \"\(full)\" of provider \"\(provider.name)\": \(reason)",
                                  at: node?.location(at: path) ?? provider.node.location)
            }
        }
        return checked
    }
}
