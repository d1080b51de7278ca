import TendModel

/// Reads `outputs:` entries: `value` (required; may refer to resources and data sources), `description`,
/// `sensitive`. An output whose value derives from a sensitive value must say `sensitive: true`, as Terraform
/// requires: otherwise it would be shown where a secret must not be.
enum OutputBuilder {
    static let keys = ["value", "description", "sensitive"]

    /// The outputs, sorted by name; `specs` and `dataSources` carry their derived sensitive paths.
    static func outputs(_ declarations: [ManifestSet.Declaration], interpolator: Interpolator, specs: [ResourceSpec],
                        dataSources: [DataSourceSpec], diagnostics: inout DiagnosticList) -> [OutputSpec] {
        // Most configurations of many instances declare few outputs, or none: nothing is indexed until an output
        // refers to something.
        guard !declarations.isEmpty else { return [] }
        var marks = MarksLookup(specs: specs, dataSources: dataSources)
        var out: [OutputSpec] = []
        for declaration in declarations {
            if let output = read(declaration, interpolator: interpolator, marks: &marks, diagnostics: &diagnostics) {
                out.append(output)
            }
        }
        return out.sorted { $0.name < $1.name }
    }

    private static func read(_ declaration: ManifestSet.Declaration, interpolator: Interpolator,
                             marks: inout MarksLookup, diagnostics: inout DiagnosticList) -> OutputSpec? {
        let name = declaration.name
        if !ResourceAddress.isValidName(name) {
            diagnostics.error("invalid output name \"\(name)\": start with a letter or \"_\", then letters, digits, \"_\" or \"-\"",
                              at: declaration.location)
            return nil
        }
        guard let entries = declaration.node.entries else {
            diagnostics.error("output \"\(name)\" must be a mapping with a value, got \(declaration.node.kindName)",
                              at: declaration.node.location)
            return nil
        }
        var value: (Expression, ManifestNode)?
        var description: String?
        var sensitive = false
        for entry in entries {
            switch entry.key {
            case "value":
                let expression = interpolator.expression(from: entry.value, expecting: .any, site: .output, scope: .none,
                                                         diagnostics: &diagnostics)
                value = (expression, entry.value)
            case "description":
                guard let scalar = entry.value.scalar, scalar.kind == .string else {
                    diagnostics.error("description of output \"\(name)\" must be a string, got \(entry.value.kindName)",
                                      at: entry.value.location)
                    continue
                }
                description = scalar.text
            case "sensitive":
                guard let scalar = entry.value.scalar, case let .bool(flag) = scalar.kind else {
                    diagnostics.error("sensitive of output \"\(name)\" must be true or false, got \(entry.value.kindName)",
                                      at: entry.value.location)
                    continue
                }
                sensitive = flag
            default:
                diagnostics.error("unknown key \"\(entry.key)\" in output \"\(name)\"" + Suggestion.hint(for: entry.key, among: keys),
                                  at: entry.keyLocation)
            }
        }
        guard let (expression, node) = value else {
            diagnostics.error("output \"\(name)\" has no value", at: declaration.location)
            return nil
        }
        if !sensitive {
            let fromVariables = interpolator.sensitiveInputPaths(in: node, at: AttributePath([]), scope: .none)
            let fromReferences = expression.references.filter { reference in
                marks.marks(of: reference.address)?.touches(reference.path) == true
            }
            if let first = fromReferences.first {
                diagnostics.error("output \"\(name)\" refers to a sensitive value (\(first)); declare it with sensitive: true",
                                  at: first.location ?? node.location)
            } else if !fromVariables.isEmpty {
                diagnostics.error("output \"\(name)\" is derived from a sensitive variable; declare it with sensitive: true",
                                  at: node.location)
            }
        }
        return OutputSpec(name: name, value: expression, description: description, sensitive: sensitive,
                          location: declaration.location)
    }
}

/// The sensitive marks of the specs and data sources outputs refer to, found through an index built on the first lookup.
private struct MarksLookup {
    let specs: [ResourceSpec]
    let dataSources: [DataSourceSpec]
    private var positions: [ResourceAddress: Int]?

    init(specs: [ResourceSpec], dataSources: [DataSourceSpec]) {
        self.specs = specs
        self.dataSources = dataSources
    }

    /// Positions below `specs.count` are specs; the rest data sources.
    mutating func marks(of address: ResourceAddress) -> SensitiveMarks? {
        if positions == nil {
            var index: [ResourceAddress: Int] = [:]
            index.reserveCapacity(specs.count + dataSources.count)
            for i in specs.indices { index[specs[i].address] = i }
            for i in dataSources.indices { index[dataSources[i].address] = specs.count + i }
            positions = index
        }
        guard let position = positions?[address] else { return nil }
        return position < specs.count ? specs[position].sensitiveMarks
            : SensitiveMarks(dataSources[position - specs.count].sensitivePaths)
    }
}
