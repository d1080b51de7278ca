import TendModel

/// Reads `data:` entries and builds their specs: type and properties checked against the data source's schema as a
/// resource's are, references to resources and to other data sources kept as expressions (and as dependencies).
enum DataSourceBuilder {
    static let keys = ["type", "properties", "options"]
    static let optionKeys = ["depends_on", "provider"]

    /// Reads a declaration's name, keys and type; nil when it is not a mapping. The result is built like a resource
    /// with one instance, against the data source's schema.
    static func read(_ declaration: ManifestSet.Declaration, catalog: SchemaCatalog,
                     diagnostics: inout DiagnosticList) -> ResourceDeclaration? {
        let name = declaration.name
        if !ResourceAddress.isValidName(name) {
            diagnostics.error("invalid data source name \"\(name)\": start with a letter or \"_\", then letters, digits, \"_\" or \"-\"",
                              at: declaration.location)
        }
        guard let entries = declaration.node.entries else {
            diagnostics.error("data source \"\(name)\" must be a mapping with type and properties, got \(declaration.node.kindName)",
                              at: declaration.node.location)
            return nil
        }
        var kept: [ManifestNode.Entry] = []
        for entry in entries {
            switch entry.key {
            case "for_each", "count":
                diagnostics.error("data source \"\(name)\" cannot have \(entry.key): a data source is read once and has no "
                                  + "instances", at: entry.keyLocation)
            case "options":
                kept.append(ManifestNode.Entry(key: entry.key, keyLocation: entry.keyLocation,
                                               value: options(entry.value, of: name, diagnostics: &diagnostics)))
            case _ where keys.contains(entry.key):
                kept.append(entry)
            default:
                diagnostics.error("unknown key \"\(entry.key)\" in data source \"\(name)\"" + Suggestion.hint(for: entry.key, among: keys),
                                  at: entry.keyLocation)
            }
        }
        let node = ManifestNode.mapping(kept, declaration.node.location)
        var result = ResourceDeclaration(name: name, location: declaration.location, node: node, typeLocation: declaration.location)
        guard let typeNode = node["type"] else {
            diagnostics.error("data source \"\(name)\" has no type", at: declaration.location)
            return result
        }
        result.typeLocation = typeNode.location
        guard let scalar = typeNode.scalar, scalar.kind == .string else {
            diagnostics.error("type of data source \"\(name)\" must be a string, got \(typeNode.kindName)", at: typeNode.location)
            return result
        }
        guard let schema = catalog.dataSchema(scalar.text) else {
            let isResourceType = catalog[scalar.text] != nil
            diagnostics.error("unknown data source type \"\(scalar.text)\""
                + (isResourceType ? " (\(scalar.text) is a resource type; declare it under resources:)"
                    : Suggestion.hint(for: scalar.text, among: catalog.dataTypeNames)), at: typeNode.location)
            return result
        }
        result.schema = schema
        return result
    }

    /// The options block with only the options data sources take; the others are reported.
    private static func options(_ node: ManifestNode, of name: String, diagnostics: inout DiagnosticList) -> ManifestNode {
        guard let entries = node.entries else {
            if !node.isNull {
                diagnostics.error("options of data source \"\(name)\" must be a mapping, got \(node.kindName)", at: node.location)
            }
            return .mapping([], node.location)
        }
        var kept: [ManifestNode.Entry] = []
        for entry in entries {
            if optionKeys.contains(entry.key) {
                kept.append(entry)
            } else if ResourceBuilder.optionKeys.contains(entry.key) {
                diagnostics.error("option \"\(entry.key)\" is for resources; a data source takes depends_on and provider",
                                  at: entry.keyLocation)
            } else {
                diagnostics.error("unknown option \"\(entry.key)\"" + Suggestion.hint(for: entry.key, among: optionKeys),
                                  at: entry.keyLocation)
            }
        }
        return .mapping(kept, node.location)
    }

    /// The specs of the declarations (those whose type is known), sorted by address.
    static func specs(for declarations: [ResourceDeclaration], builder: ResourceBuilder, catalog: SchemaCatalog,
                      diagnostics: inout DiagnosticList) -> [DataSourceSpec] {
        var out: [DataSourceSpec] = []
        for declaration in declarations {
            let prepared = builder.prepare(declaration, diagnostics: &diagnostics)
            guard let built = builder.spec(for: ResourceDeclaration.Instance(key: nil, scope: .none), of: prepared,
                                           diagnostics: &diagnostics) else { continue }
            let provider = prepared.options.provider ?? catalog.providerName(ofDataType: built.type)
            out.append(DataSourceSpec(name: declaration.name, type: built.type, provider: provider, properties: built.properties,
                                      dependencies: built.dependencies, location: declaration.location,
                                      sensitivePaths: built.sensitivePaths))
        }
        return out.sorted(byKey: \.address)
    }
}
