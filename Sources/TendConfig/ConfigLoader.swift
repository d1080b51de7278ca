import Foundation
import TendModel

/// Loads a directory of manifests into a `Configuration`, reporting every problem with its place.
public struct ConfigLoader: Sendable {
    /// Schemas of every known resource type.
    public var catalog: SchemaCatalog
    /// How large, deep and wide a configuration may be.
    public var limits: ManifestLimits

    public init(catalog: SchemaCatalog, limits: ManifestLimits = .standard) {
        self.catalog = catalog
        self.limits = limits
    }

    /// Loads every *.yaml, *.yml and *.json file directly in `directory` (sorted by name) and merges them.
    ///
    /// - Parameters:
    ///   - variables: `--var` values, already split into name and text.
    ///   - varFiles: paths of YAML or JSON files of `{name: value}`; later files win.
    ///   - environment: the process environment, for `${env.NAME}`.
    public func load(directory: String, variables: [String: String], varFiles: [String],
                     environment: [String: String]) -> LoadResult {
        var diagnostics = DiagnosticList()
        var sources: [String: String] = [:]
        var totalBytes = 0
        var manifests = ManifestSet()
        for file in manifestFiles(in: directory, diagnostics: &diagnostics) {
            let path = ConfigLoader.displayPath(directory: directory, file: file)
            let fullPath = directory.isEmpty ? file : (directory as NSString).appendingPathComponent(file)
            guard let root = read(fullPath, shownAs: path, sources: &sources, totalBytes: &totalBytes,
                                  diagnostics: &diagnostics) else { continue }
            manifests.add(root, diagnostics: &diagnostics)
        }
        PhaseProfile.mark("manifests parsed")
        var variableFiles: [ManifestNode] = []
        for file in varFiles {
            let path = ConfigLoader.displayPath(directory: "", file: file)
            if let root = read(file, shownAs: path, sources: &sources, totalBytes: &totalBytes, diagnostics: &diagnostics) {
                variableFiles.append(root)
            }
        }
        let configuration = build(manifests, directory: directory, commandLine: variables, variableFiles: variableFiles,
                                  environment: environment, diagnostics: &diagnostics)
        return LoadResult(configuration: diagnostics.hasErrors ? nil : configuration,
                          diagnostics: diagnostics.items.sortedByLocation, sources: sources)
    }

    /// Loads manifests given as text, by display path, as if they were files of `directory`; what fuzzing drives.
    func load(texts: [(path: String, text: String)], directory: String = ".", variables: [String: String] = [:],
              environment: [String: String] = [:]) -> LoadResult {
        var diagnostics = DiagnosticList()
        var sources: [String: String] = [:]
        var manifests = ManifestSet()
        for (path, text) in texts {
            sources[path] = text
            if let root = parse(text, shownAs: path, diagnostics: &diagnostics) {
                manifests.add(root, diagnostics: &diagnostics)
            }
        }
        let configuration = build(manifests, directory: directory, commandLine: variables, variableFiles: [],
                                  environment: environment, diagnostics: &diagnostics)
        return LoadResult(configuration: diagnostics.hasErrors ? nil : configuration,
                          diagnostics: diagnostics.items.sortedByLocation, sources: sources)
    }

    private func build(_ manifests: ManifestSet, directory: String, commandLine: [String: String], variableFiles: [ManifestNode],
                       environment: [String: String], diagnostics: inout DiagnosticList) -> Configuration {
        let declared = VariableResolver.declarations(manifests.variables, diagnostics: &diagnostics)
        let values = VariableResolver.resolve(declared, commandLine: commandLine, files: variableFiles, diagnostics: &diagnostics)
        var interpolator = Interpolator(variables: values, declaredVariables: Set(declared.map(\.name)), environment: environment)
        interpolator.sensitiveVariables = Set(declared.filter(\.sensitive).map(\.name))
        var providers: [String: [String: Value]] = [:]
        for provider in manifests.providers {
            if provider.node.isNull {
                providers[provider.name] = [:]
            } else if case let .map(block) = interpolator.value(from: provider.node, site: .provider, diagnostics: &diagnostics) {
                providers[provider.name] = checkedSettings(block, of: provider, diagnostics: &diagnostics)
            } else if provider.node.entries == nil {
                diagnostics.error("provider \"\(provider.name)\" must be a mapping, got \(provider.node.kindName)",
                                  at: provider.node.location)
            }
        }
        let drift = defaultDriftPolicy(manifests.settings, interpolator: interpolator, diagnostics: &diagnostics)
        let stack = stackName(manifests.stack, diagnostics: &diagnostics)

        var declarations: [ResourceDeclaration] = []
        var instanceCount = 0
        for declaration in manifests.resources {
            if var read = ResourceDeclaration.read(declaration, catalog: catalog, interpolator: interpolator, limits: limits,
                                                   diagnostics: &diagnostics) {
                instanceCount += read.expansion.count
                if instanceCount > limits.maximumInstances {
                    diagnostics.error("resource \"\(read.name)\" brings the configuration to \(instanceCount) instances, more than "
                        + "the limit of \(limits.maximumInstances) for all resources together", at: read.location)
                    instanceCount -= read.expansion.count
                    read.instances = .unknown
                    read.expansion = []
                }
                declarations.append(read)
                interpolator.targets[read.name] = read.target
            } else {
                interpolator.targets[declaration.name] = Interpolator.Target(schema: nil, instances: .unknown)
            }
        }
        var dataDeclarations: [ResourceDeclaration] = []
        for declaration in manifests.dataSources {
            let read = DataSourceBuilder.read(declaration, catalog: catalog, diagnostics: &diagnostics)
            if let read { dataDeclarations.append(read) }
            interpolator.dataTargets[declaration.name] = .some(read?.schema)
        }
        let builder = ResourceBuilder(interpolator: interpolator, defaultDriftPolicy: drift)
        PhaseProfile.mark("declarations read")
        let built = builder.specs(for: declarations, diagnostics: &diagnostics)
        PhaseProfile.mark("specs built: \(built.count)")
        let builtData = DataSourceBuilder.specs(for: dataDeclarations, builder: builder, catalog: catalog, diagnostics: &diagnostics)
        // The dependency check and the sensitivity marks only read the specs: they run side by side, and the marks
        // are written in once both are done (while the check reads them, writing would copy every spec).
        var specs = built
        var dataSources = builtData
        let (found, marks) = ParallelWork.both({ [specs, dataSources] in
            var found = DiagnosticList()
            DependencyChecker.check(specs, dataSources: dataSources, diagnostics: &found)
            return found
        }, { [specs, dataSources, catalog] in
            SensitivityDeriver.marks(specs, dataSources: dataSources, catalog: catalog)
        })
        diagnostics.append(contentsOf: found)
        SensitivityDeriver.apply(marks, to: &specs, dataSources: &dataSources)
        PhaseProfile.mark("dependencies checked, sensitivity derived")
        // Each type's provider once: the instances of one declaration share the name.
        var providerNames: [String: String] = [:]
        for index in specs.indices {
            let type = specs[index].type
            if let name = providerNames[type] {
                specs[index].provider = name
            } else {
                let name = catalog.providerName(ofType: type)
                providerNames[type] = name
                specs[index].provider = name
            }
        }
        // Building 10,000 specs frees as much as it keeps (interpolation's scratch, the unsorted copies).
        FreedMemory.release()
        var configuration = Configuration(directory: directory, specs: specs, providers: providers, variables: values, stack: stack,
                                          defaultDriftPolicy: drift, dataSources: dataSources)
        configuration.outputs = OutputBuilder.outputs(manifests.outputs, interpolator: interpolator, specs: specs,
                                                      dataSources: dataSources, diagnostics: &diagnostics)
        return configuration
    }

    private func defaultDriftPolicy(_ settings: [ManifestSet.Declaration], interpolator: Interpolator,
                                    diagnostics: inout DiagnosticList) -> DriftPolicy {
        var policy = DriftPolicy.report
        var seen: [String: SourceLocation] = [:]
        for block in settings where !block.node.isNull {
            guard let entries = block.node.entries else {
                diagnostics.error("settings must be a mapping, got \(block.node.kindName)", at: block.node.location)
                continue
            }
            for entry in entries {
                guard entry.key == "drift" else {
                    diagnostics.error("unknown setting \"\(entry.key)\"" + Suggestion.hint(for: entry.key, among: ["drift"]),
                                      at: entry.keyLocation)
                    continue
                }
                if let first = seen[entry.key] {
                    diagnostics.error("setting \"\(entry.key)\" is set twice; first set at \(first)", at: entry.keyLocation)
                    continue
                }
                seen[entry.key] = entry.keyLocation
                let value = interpolator.value(from: entry.value, site: .option, diagnostics: &diagnostics)
                if value != .unknown,
                   let parsed = DriftPolicyParsing.policy(value, at: entry.value.location, diagnostics: &diagnostics) {
                    policy = parsed
                }
            }
        }
        return policy
    }

    private func stackName(_ declaration: ManifestSet.Declaration?, diagnostics: inout DiagnosticList) -> String? {
        guard let declaration else { return nil }
        if let scalar = declaration.node.scalar, scalar.kind == .string, !scalar.text.isEmpty { return scalar.text }
        diagnostics.error("stack must be a non-empty string, got \(declaration.node.kindName)", at: declaration.node.location)
        return nil
    }

    /// The stack name tend used before stack ids were recorded with the state: the configuration directory's last
    /// path component (`directory` as given on the command line). A state written then has no recorded id and its
    /// objects carry this name, so the first run after the upgrade records it.
    public static func directoryStackName(_ directory: String) -> String {
        let last = (directory as NSString).lastPathComponent
        if last.isEmpty || last == "." || last == ".." || last == "/" {
            return URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
        }
        return last
    }
}
