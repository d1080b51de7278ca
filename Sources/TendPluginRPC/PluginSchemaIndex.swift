import Foundation
import SwiftProtobuf
import TendPlugin

/// A provider's GetProviderSchema reply, indexed without decoding it: each resource and data source schema stays
/// bytes until a configuration uses its type. hashicorp/aws answers 4.9 MB for 1,526 types; decoding all of them
/// cost tens of megabytes and a good part of a warm start, for the few a configuration names.
final class PluginSchemaIndex: @unchecked Sendable {
    let provider: PluginSchema
    let resources: LazySchemas
    let dataSources: LazySchemas
    let diagnostics: [PluginDiagnostic]
    let plansDestroy: Bool

    /// Indexes a serialized reply of protocol `version`.
    init(bytes: Data, version: Int) throws {
        var provider: PluginSchema?
        var resources: [String: Data] = [:]
        var dataSources: [String: Data] = [:]
        var diagnostics: [PluginDiagnostic] = []
        var plansDestroy = false
        for field in try ProtobufFields.lengthDelimited(in: bytes) {
            switch field.number {
            case 1: provider = try PluginSchemaIndex.decode(field.bytes, version: version, path: "provider")
            case 2, 3:
                let entry = try ProtobufFields.lengthDelimited(in: field.bytes)
                guard let key = entry.first(where: { $0.number == 1 }).map({ String(decoding: $0.bytes, as: UTF8.self) }) else {
                    throw PluginError(.garbage, "the provider's schema has a type without a name")
                }
                let value = entry.first { $0.number == 2 }?.bytes ?? Data()
                if field.number == 2 { resources[key] = value } else { dataSources[key] = value }
            case 4:
                let diagnostic = try Tfplugin5_Diagnostic(serializedBytes: field.bytes)
                diagnostics.append(diagnostic.neutral)
            case 6:
                plansDestroy = try Tfplugin5_ServerCapabilities(serializedBytes: field.bytes).planDestroy
            default:
                continue   // provider_meta, functions, ephemeral resources: not used
            }
        }
        self.provider = provider ?? PluginSchema(block: PluginBlock())
        self.resources = LazySchemas(raw: resources, version: version, kind: "resource")
        self.dataSources = LazySchemas(raw: dataSources, version: version, kind: "data source")
        self.diagnostics = diagnostics
        self.plansDestroy = plansDestroy
    }

    static func decode(_ bytes: Data, version: Int, path: String) throws -> PluginSchema {
        if version >= 6 { return try PluginSchema(six: Tfplugin6_Schema(serializedBytes: bytes), path: path) }
        return try PluginSchema(five: Tfplugin5_Schema(serializedBytes: bytes), path: path)
    }
}

/// Schemas by type name, decoded on first use.
final class LazySchemas: @unchecked Sendable {
    private let raw: [String: Data]
    private let version: Int
    private let kind: String
    private let lock = NSLock()
    private var decoded: [String: PluginSchema] = [:]

    init(raw: [String: Data], version: Int, kind: String) {
        self.raw = raw
        self.version = version
        self.kind = kind
    }

    /// Every type name.
    var keys: Dictionary<String, Data>.Keys { raw.keys }

    /// The schema of a type; nil when the provider has no such type, or its schema does not decode (then the type is
    /// unusable and says so where it is used).
    subscript(type: String) -> PluginSchema? {
        if let done = lock.withLock({ decoded[type] }) { return done }
        guard let bytes = raw[type],
              let schema = try? PluginSchemaIndex.decode(bytes, version: version, path: "\(kind) \(type)") else { return nil }   // see above
        lock.withLock { decoded[type] = schema }
        return schema
    }
}

/// The length-delimited fields of a protobuf message, read off the wire without a schema; the other wire types are
/// skipped. Malformed input is an error, never a crash.
enum ProtobufFields {
    struct Field {
        var number: Int
        var bytes: Data
    }

    static func lengthDelimited(in data: Data) throws -> [Field] {
        var fields: [Field] = []
        var index = data.startIndex
        while index < data.endIndex {
            let tag = try varint(data, &index)
            let number = Int(tag >> 3)
            switch tag & 7 {
            case 0: _ = try varint(data, &index)
            case 1: try skip(8, data, &index)
            case 5: try skip(4, data, &index)
            case 2:
                let length = try varint(data, &index)
                guard length <= UInt64(data.endIndex - index) else { throw malformed }
                let end = index + Int(length)
                fields.append(Field(number: number, bytes: data[index..<end]))
                index = end
            default: throw malformed
            }
        }
        return fields
    }

    private static let malformed = PluginError(.garbage, "the provider's schema is not a protobuf message")

    private static func varint(_ data: Data, _ index: inout Data.Index) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < data.endIndex, shift < 64 {
            let byte = data[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        throw malformed
    }

    private static func skip(_ count: Int, _ data: Data, _ index: inout Data.Index) throws {
        guard data.endIndex - index >= count else { throw malformed }
        index += count
    }
}
