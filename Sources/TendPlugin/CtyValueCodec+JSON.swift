import TendModel

extension CtyValueCodec {
    /// Writes a value already converted to `type` as cty's JSON.
    static func writeJSON(_ value: Value, as type: CtyType, into out: inout String,
                          at path: [PluginPathStep]) throws(PluginValueError) {
        switch (type, value) {
        case (_, .unknown):
            throw PluginValueError(.unknownNotAllowed, "an unknown value has no JSON form", path: PluginPathStep.render(path))
        case (_, .null):
            out += "null"
        case (.dynamic, _):
            let inferred = try inferredType(of: value, at: path)
            out += "{\"type\":" + inferred.jsonText + ",\"value\":"
            try writeJSON(value, as: inferred, into: &out, at: path)
            out += "}"
        case let (.string, .string(text)):
            out += Value.quote(text)
        case let (.number, .number(number)):
            out += number.description
        case let (.bool, .bool(flag)):
            out += flag ? "true" : "false"
        case let (.list(element), _), let (.set(element), _):
            guard let items = value.elements else { throw mismatch(value, type, at: path) }
            try writeJSONArray(items, as: { _ in element }, into: &out, at: path)
        case let (.tuple(elements), _):
            guard let items = value.elements, items.count == elements.count else { throw mismatch(value, type, at: path) }
            try writeJSONArray(items, as: { elements[$0] }, into: &out, at: path)
        case let (.map(element), .map(entries)):
            try writeJSONObject(sortedKeys(entries.keys), into: &out) { key, out throws(PluginValueError) in
                try writeJSON(entries[key] ?? .null, as: element, into: &out, at: path + [.key(key)])
            }
        case let (.object(attributes, _), .map(entries)):
            try checkAttributes(entries, against: attributes, at: path)
            try writeJSONObject(sortedKeys(attributes.keys), into: &out) { name, out throws(PluginValueError) in
                try writeJSON(entries[name] ?? .null, as: attributes[name] ?? .dynamic, into: &out,
                              at: path + [.attribute(name)])
            }
        default:
            throw mismatch(value, type, at: path)
        }
    }

    private static func writeJSONArray(_ items: [Value], as type: (Int) -> CtyType, into out: inout String,
                                       at path: [PluginPathStep]) throws(PluginValueError) {
        out += "["
        for (index, item) in items.enumerated() {
            if index > 0 { out += "," }
            try writeJSON(item, as: type(index), into: &out, at: path + [.index(Int64(index))])
        }
        out += "]"
    }

    private static func writeJSONObject(_ keys: [String], into out: inout String,
                                        member: (String, inout String) throws(PluginValueError) -> Void) throws(PluginValueError) {
        out += "{"
        for (index, key) in keys.enumerated() {
            if index > 0 { out += "," }
            out += Value.quote(key) + ":"
            try member(key, &out)
        }
        out += "}"
    }

    /// The value of `type` in parsed cty JSON: like `convert`, except that a dynamic value is the
    /// `{"type":…,"value":…}` wrapper and an object's missing attributes are null.
    static func readJSON(_ value: Value, as type: CtyType, at path: [PluginPathStep]) throws(PluginValueError) -> Value {
        switch (type, value) {
        case (_, .null):
            return .null
        case let (.dynamic, .map(wrapper)):
            guard let typeJSON = wrapper["type"], let inner = wrapper["value"], wrapper.count == 2 else {
                throw PluginValueError(.typeMismatch, "a dynamic value must be {\"type\":…,\"value\":…}",
                                       path: PluginPathStep.render(path))
            }
            let innerType: CtyType
            do {
                innerType = try CtyType(parsed: typeJSON, depth: 0)
            } catch {
                throw PluginValueError(error.code, error.message, path: PluginPathStep.render(path))
            }
            return try readJSON(inner, as: innerType, at: path)
        case (.dynamic, _):
            throw mismatch(value, type, at: path)
        case let (.list(element), .list(items)):
            return .list(try readJSONElements(items, as: { _ in element }, at: path))
        case let (.set(element), .list(items)):
            return .set(of: try readJSONElements(items, as: { _ in element }, at: path))
        case let (.tuple(elements), .list(items)) where items.count == elements.count:
            return .list(try readJSONElements(items, as: { elements[$0] }, at: path))
        case let (.map(element), .map(entries)):
            var out: [String: Value] = [:]
            for (key, item) in entries { out[key] = try readJSON(item, as: element, at: path + [.key(key)]) }
            return .map(out)
        case let (.object(attributes, _), .map(entries)):
            try checkAttributes(entries, against: attributes, at: path)
            var out: [String: Value] = [:]
            for (name, attributeType) in attributes {
                out[name] = try readJSON(entries[name] ?? .null, as: attributeType, at: path + [.attribute(name)])
            }
            return .map(out)
        case (.string, _), (.number, _), (.bool, _):
            return try convert(value, to: type, at: path)
        default:
            throw mismatch(value, type, at: path)
        }
    }

    private static func readJSONElements(_ items: [Value], as type: (Int) -> CtyType,
                                         at path: [PluginPathStep]) throws(PluginValueError) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            out.append(try readJSON(item, as: type(index), at: path + [.index(Int64(index))]))
        }
        return out
    }
}
