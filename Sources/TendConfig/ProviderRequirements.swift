import Foundation
import TendModel

/// What a configuration asks of providers before any schema is known (phase zero of loading): the provider blocks
/// that run a Terraform provider binary (`source`, `version`), and the types whose resources pick a provider by
/// name (`options.provider`). These are read as written, without interpolation, as Terraform reads
/// `required_providers`: which binaries to start cannot depend on values those binaries compute.
public struct ProviderRequirements: Sendable {
    /// A provider block with a `source`.
    public struct Plugin: Sendable, Hashable {
        /// The block's name: what `options.provider` and messages call it.
        public var name: String
        /// `hashicorp/aws`, as written.
        public var source: String
        /// The version constraint, as written; nil for any version.
        public var version: String?
        /// Seconds one call to the plugin may take (`timeout`); nil for the default.
        public var timeout: Double?
        /// Where the block is.
        public var location: SourceLocation
    }

    public var plugins: [Plugin] = []
    /// The provider block each type's resources chose with `options.provider`, by type.
    public var routes: [String: String] = [:]
    /// The provider block each data source type's `data:` entries chose with `options.provider`, by type.
    public var dataRoutes: [String: String] = [:]
    /// Every provider block's name.
    public var blockNames: Set<String> = []
    public var diagnostics: [Diagnostic] = []
    /// The manifests' text by display path, for rendering diagnostics.
    public var sources: [String: String] = [:]

    /// Keys of a provider block that tend reads itself; the rest of a source block belongs under `config`.
    public static let pluginBlockKeys = ["source", "version", "config", "timeout"]
}

extension ConfigLoader {
    /// Reads the provider requirements of the manifests in `directory`. Problems found here (a `source` that is
    /// not text, two resources of one type choosing different providers) are diagnostics; syntax errors are left to
    /// the full load, which reports them with everything else.
    public func providerRequirements(directory: String) -> ProviderRequirements {
        var ignored = DiagnosticList()
        var result = ProviderRequirements()
        var manifests = ManifestSet()
        var totalBytes = 0
        for file in manifestFiles(in: directory, diagnostics: &ignored) {
            let path = ConfigLoader.displayPath(directory: directory, file: file)
            let fullPath = directory.isEmpty ? file : (directory as NSString).appendingPathComponent(file)
            guard let root = read(fullPath, shownAs: path, sources: &result.sources, totalBytes: &totalBytes,
                                  diagnostics: &ignored) else { continue }
            manifests.add(root, diagnostics: &ignored)
        }
        var diagnostics = DiagnosticList()
        for provider in manifests.providers {
            result.blockNames.insert(provider.name)
            guard let node = provider.node["source"] else { continue }
            guard let source = node.scalar, source.kind == .string, !source.text.isEmpty else {
                diagnostics.error("source of provider \"\(provider.name)\" must be text such as hashicorp/aws, written out "
                                  + "(not computed)", at: node.location)
                continue
            }
            var version: String?
            if let versionNode = provider.node["version"] {
                if let scalar = versionNode.scalar, scalar.kind != .null { version = scalar.text } else {
                    diagnostics.error("version of provider \"\(provider.name)\" must be a constraint such as \"~> 5.100\"",
                                      at: versionNode.location)
                }
            }
            var timeout: Double?
            if let timeoutNode = provider.node["timeout"] {
                if let scalar = timeoutNode.scalar, case let .number(number) = scalar.kind, case let seconds = number.doubleValue,
                   seconds >= 1, seconds <= 86_400 {
                    timeout = seconds
                } else {
                    diagnostics.error("timeout of provider \"\(provider.name)\" must be a number of seconds from 1 to 86400",
                                      at: timeoutNode.location)
                }
            }
            for entry in provider.node.entries ?? [] where !ProviderRequirements.pluginBlockKeys.contains(entry.key) {
                diagnostics.error("unknown key \"\(entry.key)\" in provider \"\(provider.name)\", which runs \(source.text): "
                                  + "the provider's own settings go under config:", at: entry.keyLocation)
            }
            result.plugins.append(.init(name: provider.name, source: source.text, version: version, timeout: timeout,
                                        location: provider.location))
        }
        result.routes = routes(manifests.resources, blockNames: result.blockNames, diagnostics: &diagnostics)
        result.dataRoutes = routes(manifests.dataSources, kind: "data source", blockNames: result.blockNames,
                                   diagnostics: &diagnostics)
        result.diagnostics = diagnostics.items.sortedByLocation
        return result
    }

    /// The provider chosen per type by `options.provider`; one type, one provider per configuration.
    private func routes(_ resources: [ManifestSet.Declaration], kind: String = "resource", blockNames: Set<String>,
                        diagnostics: inout DiagnosticList) -> [String: String] {
        var routes: [String: (name: String, location: SourceLocation)] = [:]
        for resource in resources {
            guard let type = resource.node["type"]?.scalar?.text,
                  let choice = resource.node["options"]?["provider"] else { continue }
            guard let scalar = choice.scalar, scalar.kind == .string, !scalar.text.isEmpty else {
                diagnostics.error("options.provider of \(kind) \"\(resource.name)\" must be a provider block's name",
                                  at: choice.location)
                continue
            }
            guard blockNames.contains(scalar.text) else {
                diagnostics.error("\(kind) \"\(resource.name)\" asks for provider \"\(scalar.text)\", which no provider block "
                                  + "declares" + Suggestion.hint(for: scalar.text, among: blockNames.sorted()), at: choice.location)
                continue
            }
            if let earlier = routes[type], earlier.name != scalar.text {
                diagnostics.error("\(kind) \"\(resource.name)\" asks for provider \"\(scalar.text)\" for \(type), but "
                                  + "\(type) is served by \"\(earlier.name)\" (chosen at \(earlier.location)); all \(kind)s "
                                  + "of one type use one provider", at: choice.location)
                continue
            }
            routes[type] = (scalar.text, choice.location)
        }
        return routes.mapValues(\.name)
    }
}
