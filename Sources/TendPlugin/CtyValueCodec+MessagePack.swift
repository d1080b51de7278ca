import TendModel

extension CtyValueCodec {
    /// Writes a value already converted to `type`.
    static func write(_ value: Value, as type: CtyType, into writer: inout MessagePackWriter,
                      at path: [PluginPathStep]) throws(PluginValueError) {
        switch (type, value) {
        case (_, .unknown):
            writer.writeExtension(type: unknownExtensionType, data: [0])
        case (_, .null):
            writer.writeNil()
        case (.dynamic, _):
            let inferred = try inferredType(of: value, at: path)
            writer.writeArrayHeader(count: 2)
            writer.writeBinary(inferred.json)
            try write(value, as: inferred, into: &writer, at: path)
        case let (.string, .string(text)):
            writer.writeString(text)
        case let (.number, .number(number)):
            writeNumber(number, into: &writer)
        case let (.bool, .bool(flag)):
            writer.writeBool(flag)
        case let (.list(element), _), let (.set(element), _):
            guard let items = value.elements else { throw mismatch(value, type, at: path) }
            writer.writeArrayHeader(count: items.count)
            for (index, item) in items.enumerated() {
                try write(item, as: element, into: &writer, at: path + [.index(Int64(index))])
            }
        case let (.tuple(elements), _):
            guard let items = value.elements, items.count == elements.count else { throw mismatch(value, type, at: path) }
            writer.writeArrayHeader(count: items.count)
            for (index, item) in items.enumerated() {
                try write(item, as: elements[index], into: &writer, at: path + [.index(Int64(index))])
            }
        case let (.map(element), .map(entries)):
            writer.writeMapHeader(count: entries.count)
            for key in sortedKeys(entries.keys) {
                writer.writeString(key)
                try write(entries[key] ?? .null, as: element, into: &writer, at: path + [.key(key)])
            }
        case let (.object(attributes, _), .map(entries)):
            try checkAttributes(entries, against: attributes, at: path)
            writer.writeMapHeader(count: attributes.count)
            for name in sortedKeys(attributes.keys) {
                writer.writeString(name)
                try write(entries[name] ?? .null, as: attributes[name] ?? .dynamic, into: &writer,
                          at: path + [.attribute(name)])
            }
        default:
            throw mismatch(value, type, at: path)
        }
    }

    /// An integer within 64 bits as an integer; otherwise a float64 when one is exactly the number (and reads back
    /// as it); otherwise the decimal text, which cty parses exactly.
    static func writeNumber(_ number: Number, into writer: inout MessagePackWriter) {
        if let integer = number.int64Value {
            writer.writeInt(integer)
        } else if let double = number.exactDouble {
            writer.writeDouble(double)
        } else {
            writer.writeString(number.description)
        }
    }

    /// Keys in the order of their UTF-8 bytes, as Go sorts strings.
    static func sortedKeys<S: Sequence<String>>(_ keys: S) -> [String] {
        keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The value of `type` in a msgpack value.
    static func read(_ message: MessagePackValue, as type: CtyType,
                     at path: [PluginPathStep]) throws(PluginValueError) -> Value {
        switch (type, message) {
        case let (_, .ext(extensionType, _)):
            guard extensionType == unknownExtensionType || extensionType == refinedUnknownExtensionType else {
                throw PluginValueError(.typeMismatch, "msgpack extension type \(extensionType) is not a cty value",
                                       path: PluginPathStep.render(path))
            }
            return .unknown
        case (_, .nil):
            return .null
        case let (.dynamic, .array(items)) where items.count == 2:
            let type = try dynamicType(items[0], at: path)
            return try read(items[1], as: type, at: path)
        case let (.string, .string(text)):
            return .string(text)
        case (.number, _):
            return .number(try readNumber(message, at: path))
        case let (.bool, .bool(flag)):
            return .bool(flag)
        case let (.list(element), .array(items)):
            return .list(try readElements(items, as: { _ in element }, at: path))
        case let (.set(element), .array(items)):
            return .set(of: try readElements(items, as: { _ in element }, at: path))
        case let (.tuple(elements), .array(items)) where items.count == elements.count:
            return .list(try readElements(items, as: { elements[$0] }, at: path))
        case let (.map(element), .map(entries)):
            var out: [String: Value] = [:]
            for entry in entries {
                let key = try stringKey(entry.key, at: path)
                out[key] = try read(entry.value, as: element, at: path + [.key(key)])
            }
            return .map(out)
        case let (.object(attributes, _), .map(entries)):
            return try readObject(entries, attributes: attributes, at: path)
        default:
            throw PluginValueError(.typeMismatch, "\(type) required, got msgpack \(message.kindName)",
                                   path: PluginPathStep.render(path))
        }
    }

    private static func readObject(_ entries: [MessagePackValue.Entry], attributes: [String: CtyType],
                                   at path: [PluginPathStep]) throws(PluginValueError) -> Value {
        var out: [String: Value] = [:]
        for entry in entries {
            let name = try stringKey(entry.key, at: path)
            guard let attributeType = attributes[name] else {
                throw PluginValueError(.unsupportedAttribute, "unsupported attribute \"\(name)\"",
                                       path: PluginPathStep.render(path + [.attribute(name)]))
            }
            out[name] = try read(entry.value, as: attributeType, at: path + [.attribute(name)])
        }
        for name in attributes.keys where out[name] == nil { out[name] = .null }
        return .map(out)
    }

    private static func readElements(_ items: [MessagePackValue], as type: (Int) -> CtyType,
                                     at path: [PluginPathStep]) throws(PluginValueError) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            out.append(try read(item, as: type(index), at: path + [.index(Int64(index))]))
        }
        return out
    }

    private static func stringKey(_ key: MessagePackValue, at path: [PluginPathStep]) throws(PluginValueError) -> String {
        guard case let .string(text) = key else {
            throw PluginValueError(.typeMismatch, "a map key must be a string, got msgpack \(key.kindName)",
                                   path: PluginPathStep.render(path))
        }
        return text
    }

    /// The type of a dynamic value: its type JSON, as binary (what cty writes) or as a string.
    private static func dynamicType(_ message: MessagePackValue, at path: [PluginPathStep]) throws(PluginValueError) -> CtyType {
        let json: [UInt8]
        switch message {
        case let .binary(bytes): json = bytes
        case let .string(text): json = Array(text.utf8)
        default:
            throw PluginValueError(.typeMismatch, "a dynamic value's type must be JSON bytes, got msgpack \(message.kindName)",
                                   path: PluginPathStep.render(path))
        }
        do {
            return try CtyType(json: json)
        } catch {
            throw PluginValueError(error.code, error.message, path: PluginPathStep.render(path))
        }
    }

    /// Any integer exactly (uint64 beyond Int64 too), a float as its shortest decimal, or a string of a number.
    private static func readNumber(_ message: MessagePackValue, at path: [PluginPathStep]) throws(PluginValueError) -> Number {
        let number: Number?
        switch message {
        case let .int(integer): number = Number(integer)
        case let .uint(integer): number = Int64(exactly: integer).map { Number($0) } ?? Number(parsing: String(integer))
        case let .float(float): number = Number(Double(float))
        case let .double(double): number = Number(double)
        case let .string(text): number = Number(parsing: text)
        default:
            throw PluginValueError(.typeMismatch, "number required, got msgpack \(message.kindName)",
                                   path: PluginPathStep.render(path))
        }
        guard let number else {
            throw PluginValueError(.invalidNumber, "\(message) is not a finite number", path: PluginPathStep.render(path))
        }
        return number
    }
}
