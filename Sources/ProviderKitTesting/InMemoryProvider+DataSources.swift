import ProviderKit
import TendModel

/// Data sources: `mem_echo` (a pure function of its input) and `mem_thing_lookup` (reads a stored `mem_thing`).
extension InMemoryProvider {
    /// `mem_echo`: `input` (required) → `output` (upper-cased) and `length`; `secret` (optional, sensitive) comes
    /// back reversed as `secret_out` (sensitive).
    public static let echoSchema = ResourceSchema(type: "mem_echo", description: "Echoes its input upper-cased.", attributes: [
        "input": AttributeSchema(.string, .required),
        "secret": AttributeSchema(.string, .optional, sensitive: true),
        "output": AttributeSchema(.string, .computed),
        "length": AttributeSchema(.number, .computed),
        "secret_out": AttributeSchema(.string, .computed, sensitive: true),
    ])

    /// `mem_thing_lookup`: `name` (required) → the `id_attr`, `value` and `revision` of the stored `mem_thing` of
    /// that name; reading one that does not exist fails.
    public static let thingLookupSchema = ResourceSchema(type: "mem_thing_lookup", description: "Finds a mem_thing by name.",
                                                         attributes: [
        "name": AttributeSchema(.string, .required),
        "id_attr": AttributeSchema(.string, .computed),
        "value": AttributeSchema(.string, .computed),
        "revision": AttributeSchema(.number, .computed),
    ])

    /// The data sources a provider serves unless told otherwise.
    public static let defaultDataSchemas = [echoSchema, thingLookupSchema]

    /// The schema of a data source it serves.
    public nonisolated func dataSchema(for type: String) -> ResourceSchema? {
        dataSchemas.first { $0.type == type }
    }

    /// The data sources it serves.
    public nonisolated var dataTypeNames: [String] { dataSchemas.map(\.type) }

    /// Reads `mem_echo` or `mem_thing_lookup`; counted as `.readData`, failing as `failReadData` arranged.
    public func readData(type: String, config: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        count(.readData)
        try injectFailure(.readData(type: type))
        guard dataSchema(for: type) != nil else { throw ProviderError(.unknownType, "\(name) has no data source \(type)") }
        if let unknown = config.keys.sorted().first(where: { config[$0]?.containsUnknown == true }) {
            throw ProviderError(.invalidInput, "\(type): \"\(unknown)\" is not known")
        }
        switch type {
        case "mem_echo":
            guard let input = config["input"]?.stringValue else { throw ProviderError(.invalidInput, "mem_echo: input is required") }
            var out = config
            out["output"] = .string(input.uppercased())
            out["length"] = .number(Number(input.count))
            if let secret = config["secret"]?.stringValue { out["secret_out"] = .string(String(secret.reversed())) }
            return out
        default:
            guard let wanted = config["name"]?.stringValue else { throw ProviderError(.invalidInput, "\(type): name is required") }
            let found = objects.filter { $0.value.type == "mem_thing" && $0.value.attributes["name"]?.stringValue == wanted }
            guard let (id, object) = found.min(by: { $0.key < $1.key }) else {
                throw ProviderError(.failed, "\(type): no mem_thing named \"\(wanted)\"")
            }
            var out = config
            out["id_attr"] = .string(id)
            out["value"] = object.attributes["value"] ?? .null
            out["revision"] = object.attributes["revision"] ?? .null
            return out
        }
    }
}
