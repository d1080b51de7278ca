import ArgumentParser
import TendModel

/// `tend providers`: the compiled-in providers and their schemas.
struct ProvidersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "providers", abstract: "List providers and their resource schemas.")

    @Flag(name: .long, help: "Print the schemas as JSON.")
    var json = false

    func run() async throws {
        let registry = Workspace.makeRegistry()
        let schemas = registry.catalog.schemas.values.sorted { $0.type < $1.type }
        if json {
            let doc = Value.map(Dictionary(uniqueKeysWithValues: schemas.map { schema in
                (schema.type, Value.map(schema.attributes.mapValues { attribute in
                    var entry: [String: Value] = ["type": .string(attribute.type.description), "mode": .string(attribute.mode.rawValue)]
                    if attribute.forceNew { entry["force_new"] = .bool(true) }
                    if attribute.sensitive { entry["sensitive"] = .bool(true) }
                    if let value = attribute.defaultValue { entry["default"] = value }
                    return .map(entry)
                }))
            }))
            print(doc.canonicalJSON)
            return
        }
        for schema in schemas {
            print("\(schema.type)  (provider \(ResourceSchema.providerName(ofType: schema.type)))")
            for name in schema.attributes.keys.sorted() {
                guard let attribute = schema.attributes[name] else { continue }
                var flags = [attribute.mode.rawValue]
                if attribute.forceNew { flags.append("forces replacement") }
                if attribute.sensitive { flags.append("sensitive") }
                if let value = attribute.defaultValue { flags.append("default \(value.canonicalJSON)") }
                print("  \(name): \(attribute.type)  [\(flags.joined(separator: ", "))]")
            }
        }
    }
}
