import TendModel

extension CtyValueCodec {
    /// `value` made a value of `type` as Terraform converts configuration: scalars to strings, number and bool text
    /// to numbers and bools, lists and sets into one another (sets deduplicated, in canonical order), objects given
    /// every attribute. Dynamic parts stay as they are; their type is inferred when written.
    static func convert(_ value: Value, to type: CtyType, at path: [PluginPathStep]) throws(PluginValueError) -> Value {
        switch (type, value) {
        case (_, .null), (_, .unknown), (.dynamic, _), (.string, .string), (.number, .number), (.bool, .bool):
            return value
        case let (.string, .number(number)):
            return .string(number.description)
        case let (.string, .bool(flag)):
            return .string(flag ? "true" : "false")
        case let (.number, .string(text)):
            guard let number = Number(parsing: text) else {
                throw PluginValueError(.typeMismatch, "\"\(text)\" is not a number", path: PluginPathStep.render(path))
            }
            return .number(number)
        case (.bool, .string("true")):
            return .bool(true)
        case (.bool, .string("false")):
            return .bool(false)
        case let (.list(element), .list), let (.list(element), .set):
            return .list(try convertElements(value.elements ?? [], to: { _ in element }, at: path))
        case let (.set(element), .list), let (.set(element), .set):
            return .set(of: try convertElements(value.elements ?? [], to: { _ in element }, at: path))
        case let (.tuple(elements), .list), let (.tuple(elements), .set):
            let items = value.elements ?? []
            guard items.count == elements.count else {
                throw PluginValueError(.typeMismatch, "tuple of \(elements.count) elements required, got \(items.count)",
                                       path: PluginPathStep.render(path))
            }
            return .list(try convertElements(items, to: { elements[$0] }, at: path))
        case let (.map(element), .map(entries)):
            var out: [String: Value] = [:]
            for (key, item) in entries { out[key] = try convert(item, to: element, at: path + [.key(key)]) }
            return .map(out)
        case let (.object(attributes, _), .map(entries)):
            try checkAttributes(entries, against: attributes, at: path)
            var out: [String: Value] = [:]
            for (name, attributeType) in attributes {
                out[name] = try convert(entries[name] ?? .null, to: attributeType, at: path + [.attribute(name)])
            }
            return .map(out)
        default:
            throw mismatch(value, type, at: path)
        }
    }

    private static func convertElements(_ items: [Value], to type: (Int) -> CtyType,
                                        at path: [PluginPathStep]) throws(PluginValueError) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            out.append(try convert(item, to: type(index), at: path + [.index(Int64(index))]))
        }
        return out
    }

    /// Refuses the first key (in sorted order) that the object type has no attribute for.
    static func checkAttributes(_ entries: [String: Value], against attributes: [String: CtyType],
                                at path: [PluginPathStep]) throws(PluginValueError) {
        guard let extra = entries.keys.filter({ attributes[$0] == nil }).sorted().first else { return }
        throw PluginValueError(.unsupportedAttribute, "unsupported attribute \"\(extra)\"",
                               path: PluginPathStep.render(path + [.attribute(extra)]))
    }

    /// The cty type a value of a dynamic attribute is sent as: its scalars' types, a list as a tuple, a map as an
    /// object, a set as a set of its elements' one type. Null and unknown parts are `dynamic`; a set whose known
    /// elements differ in type cannot be sent and is an error.
    static func inferredType(of value: Value, at path: [PluginPathStep]) throws(PluginValueError) -> CtyType {
        switch value {
        case .null, .unknown: return .dynamic
        case .string: return .string
        case .number: return .number
        case .bool: return .bool
        case let .list(items):
            var types: [CtyType] = []
            for (index, item) in items.enumerated() {
                types.append(try inferredType(of: item, at: path + [.index(Int64(index))]))
            }
            return .tuple(types)
        case let .map(entries):
            var types: [String: CtyType] = [:]
            for (key, item) in entries { types[key] = try inferredType(of: item, at: path + [.attribute(key)]) }
            return .object(types)
        case let .set(set):
            var found: Set<CtyType> = []
            for (index, item) in set.elements.enumerated() {
                let type = try inferredType(of: item, at: path + [.index(Int64(index))])
                if type != .dynamic { found.insert(type) }
            }
            guard found.count <= 1 else {
                throw PluginValueError(.uninferableType, "a set's elements differ in type (\(found.map(\.jsonText).sorted()))",
                                       path: PluginPathStep.render(path))
            }
            return .set(found.first ?? .dynamic)
        }
    }
}
