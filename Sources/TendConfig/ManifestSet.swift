import TendModel

/// The declarations of every manifest file, merged, each with where it was written.
struct ManifestSet: Sendable {
    struct Declaration: Sendable {
        var name: String
        var location: SourceLocation
        var node: ManifestNode
    }

    var variables: [Declaration] = []
    var providers: [Declaration] = []
    var resources: [Declaration] = []
    /// The `data:` section's entries.
    var dataSources: [Declaration] = []
    var stack: Declaration?
    var settings: [Declaration] = []
    /// The `outputs:` section's entries.
    var outputs: [Declaration] = []

    static let topLevelKeys = ["variables", "providers", "resources", "data", "outputs", "stack", "settings"]

    /// Adds one file's root node, reporting unknown keys and duplicates.
    mutating func add(_ root: ManifestNode, diagnostics: inout DiagnosticList) {
        if root.isNull { return }
        guard let entries = root.entries else {
            diagnostics.error("a manifest must be a mapping with variables, providers and resources", at: root.location)
            return
        }
        for entry in entries {
            switch entry.key {
            case "variables": addAll(entry, kind: "variable", to: \.variables, diagnostics: &diagnostics)
            case "providers": addAll(entry, kind: "provider", to: \.providers, diagnostics: &diagnostics)
            case "resources": addAll(entry, kind: "resource", to: \.resources, diagnostics: &diagnostics)
            case "data": addAll(entry, kind: "data source", to: \.dataSources, diagnostics: &diagnostics)
            case "outputs": addAll(entry, kind: "output", to: \.outputs, diagnostics: &diagnostics)
            case "settings":
                settings.append(Declaration(name: entry.key, location: entry.keyLocation, node: entry.value))
            case "stack":
                if let first = stack {
                    diagnostics.error("stack is set twice; first set at \(first.location)", at: entry.keyLocation)
                } else {
                    stack = Declaration(name: entry.key, location: entry.keyLocation, node: entry.value)
                }
            default:
                diagnostics.error("unknown top-level key \"\(entry.key)\""
                    + Suggestion.hint(for: entry.key, among: ManifestSet.topLevelKeys), at: entry.keyLocation)
            }
        }
    }

    private mutating func addAll(_ section: ManifestNode.Entry, kind: String, to list: WritableKeyPath<ManifestSet, [Declaration]>,
                                 diagnostics: inout DiagnosticList) {
        if section.value.isNull { return }
        guard let entries = section.value.entries else {
            diagnostics.error("\(section.key) must be a mapping of name to \(kind), got \(section.value.kindName)",
                              at: section.value.location)
            return
        }
        for entry in entries {
            if let first = self[keyPath: list].first(where: { $0.name == entry.key }) {
                diagnostics.error("duplicate \(kind) \"\(entry.key)\"; first declared at \(first.location)", at: entry.keyLocation)
                continue
            }
            self[keyPath: list].append(Declaration(name: entry.key, location: entry.keyLocation, node: entry.value))
        }
    }
}
