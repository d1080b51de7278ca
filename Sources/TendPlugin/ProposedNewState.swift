import TendModel

/// Terraform's proposed new state (objchange.ProposedNew): what a resource would become if the configuration were
/// applied as it stands, before the plugin plans it. The configuration wins, except that a computed attribute the
/// configuration leaves null keeps its prior value, or stays null when there is none.
///
/// Nested blocks and tfplugin6 nested attributes are matched to their prior selves: single and group by being
/// there, lists by index, maps by key, and sets by their non-computed attributes all being equal (an element
/// whose configuration changed is a new element). Where an object has no prior self it is new, and its computed,
/// unset attributes stay null, as Terraform leaves them: the plugin fills in defaults or marks them unknown (a
/// plugin that planned a default of its own would otherwise see unknown and could not). Terraform's refinement that an
/// optional+computed attribute is not computable when its prior value came from configuration is not made.
public enum ProposedNewState {
    /// The proposed new object of `schema` from its prior value (nil or null when creating) and its configuration.
    /// A null configuration (the object is going away) proposes the prior value.
    public static func proposedNew(schema: PluginBlock, prior: Value?, config: Value) -> Value {
        let prior = prior == .null ? nil : prior
        guard config != .null else { return prior ?? .null }
        return proposedNewObject(schema, prior: prior, config: config)
    }

    /// One object: `prior` nil when it is new.
    static func proposedNewObject(_ block: PluginBlock, prior: Value?, config: Value) -> Value {
        guard case let .map(configEntries) = config, case let .map(conformed) = block.conform(configEntries) else {
            return config
        }
        var priorEntries: [String: Value]?
        if case let .map(entries)? = prior, case let .map(conformedPrior) = block.conform(entries) {
            priorEntries = conformedPrior
        }
        var out = conformed
        for attribute in block.attributes {
            out[attribute.name] = proposedNewAttribute(attribute, prior: priorEntries.map { $0[attribute.name] ?? .null },
                                                       config: conformed[attribute.name] ?? .null)
        }
        for nested in block.blockTypes {
            let configValue = conformed[nested.typeName] ?? .null
            guard configValue != .null else { continue }
            out[nested.typeName] = proposedNewCollection(nested.block, nested.nesting.collection,
                                                         prior: priorEntries?[nested.typeName], config: configValue)
        }
        return .map(out)
    }

    /// One attribute: `prior` nil when its object is new.
    static func proposedNewAttribute(_ attribute: PluginAttribute, prior: Value?, config: Value) -> Value {
        if attribute.isComputed, config == .null { return prior ?? .null }
        if let nested = attribute.nestedType, config != .null {
            return proposedNewCollection(nested.block, nested.nesting.collection, prior: prior, config: config)
        }
        return config
    }

    /// Nested objects in a collection, each matched with its prior self.
    static func proposedNewCollection(_ block: PluginBlock, _ collection: PluginCollection, prior: Value?,
                                      config: Value) -> Value {
        switch (collection, config) {
        case (_, .unknown), (_, .null):
            return config
        case (.single, _):
            return proposedNewObject(block, prior: existing(prior), config: config)
        case (.list, .list), (.list, .set):
            let priorItems = existing(prior)?.elements ?? []
            return .list((config.elements ?? []).enumerated().map { index, item in
                proposedNewObject(block, prior: index < priorItems.count ? existing(priorItems[index]) : nil, config: item)
            })
        case let (.map, .map(entries)):
            let priorEntries = existing(prior)?.mapValue ?? [:]
            return .map(entries.reduce(into: [:]) { out, entry in
                out[entry.key] = proposedNewObject(block, prior: priorEntries[entry.key].flatMap(existing), config: entry.value)
            })
        case (.set, .list), (.set, .set):
            return .set(of: proposedNewSet(block, prior: existing(prior)?.elements ?? [], config: config.elements ?? []))
        default:
            return config
        }
    }

    /// Set elements: each configured element takes the first unused prior element whose non-computed attributes
    /// are all equal to its own.
    private static func proposedNewSet(_ block: PluginBlock, prior: [Value], config: [Value]) -> [Value] {
        let priorKeys = prior.map { comparable(block, $0) }
        var used = Array(repeating: false, count: prior.count)
        return config.map { item in
            let key = comparable(block, item)
            guard let match = priorKeys.indices.first(where: { !used[$0] && priorKeys[$0] == key }) else {
                return proposedNewObject(block, prior: nil, config: item)
            }
            used[match] = true
            return proposedNewObject(block, prior: existing(prior[match]), config: item)
        }
    }

    /// An object with every computed attribute made null, at any depth: what must be equal for a set element to be
    /// the same element.
    static func comparable(_ block: PluginBlock, _ value: Value) -> Value {
        guard case let .map(entries) = value, case var .map(out) = block.conform(entries) else { return value }
        for attribute in block.attributes {
            if attribute.isComputed {
                out[attribute.name] = .null
            } else if let nested = attribute.nestedType {
                let inner = nested.block
                out[attribute.name] = nested.nesting.collection.mapElements(out[attribute.name] ?? .null) { comparable(inner, $0) }
            }
        }
        for nested in block.blockTypes {
            let inner = nested.block
            out[nested.typeName] = nested.nesting.collection.mapElements(out[nested.typeName] ?? .null) { comparable(inner, $0) }
        }
        return .map(out)
    }

    /// A prior value that stands for an existing object or collection: nil for absent, null and unknown.
    private static func existing(_ value: Value?) -> Value? {
        switch value {
        case nil, .null?, .unknown?: return nil
        default: return value
        }
    }
}
