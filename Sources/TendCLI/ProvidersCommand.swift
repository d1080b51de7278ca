import ArgumentParser
import Foundation
import TendConfig
import TendModel
import TendPlugin

/// `tend providers`: the built-in providers, the Terraform providers the configuration declares (which binary,
/// which version, which protocol), and every Terraform provider installed where tend looks.
struct ProvidersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers", abstract: "List providers: built-in, declared by the configuration, and installed.",
        subcommands: [ProvidersListCommand.self, ProvidersLockCommand.self], defaultSubcommand: ProvidersListCommand.self)
}

struct ProvidersListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List providers (the default).")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print the built-in providers' schemas as JSON.")
    var json = false

    @Flag(name: .long, help: "Print every attribute of the built-in providers' types.")
    var schemas = false

    func run() async throws {
        let workspace = Workspace(global)
        let builtins = workspace.builtins.catalog.schemas.values.sorted { $0.type < $1.type }
        if json {
            print(ProvidersListCommand.schemaJSON(builtins))
            return
        }
        if schemas {
            printSchemas(builtins)
            return
        }
        print("Built-in providers:")
        for name in workspace.builtins.providers.keys.sorted() {
            let types = builtins.filter { ResourceSchema.providerName(ofType: $0.type) == name }.map(\.type)
            print("  \(name)  \(types.count) types: \(types.joined(separator: ", "))")
        }
        let requirements = ConfigLoader(catalog: SchemaCatalog([])).providerRequirements(directory: workspace.directory)
        if !requirements.plugins.isEmpty {
            print("\nTerraform providers the configuration declares:")
            do {
                let selected = try PluginHost.select(requirements, directory: workspace.directory, environment: workspace.environment)
                for selection in selected.selections {
                    let locked = selected.lockFile.providers[selection.source] != nil ? "locked" : "not locked yet"
                    print("  \(selection.plugin.name)  \(selection.source) \(selection.plugin.version ?? "(any version)")  →  "
                          + "\(selection.installed.version), protocol \(selection.installed.protocolVersion.map(String.init) ?? "chosen at start"), "
                          + "\(selection.installed.executablePath) (\(locked))")
                }
            } catch {
                print("  \(error)")
            }
        }
        try printInstalled(workspace)
    }

    private func printInstalled(_ workspace: Workspace) throws {
        let home = workspace.environment["HOME"] ?? NSHomeDirectory()
        let searchPath = try ProviderSearchPath.load(environment: workspace.environment, homeDirectory: home,
                                                     workingDirectory: workspace.directory)
        print("\nTerraform providers installed:")
        var found = 0
        for entry in searchPath.entries {
            for source in ProvidersListCommand.sources(in: entry.directory) {
                let listing = ProviderMirror(entry: entry).listing(for: source)
                for provider in listing.installed {
                    found += 1
                    print("  \(provider.source) \(provider.version)  \(provider.platform)  protocol "
                          + "\(provider.protocolVersion.map(String.init) ?? "?")  \(provider.executablePath)")
                }
                for skipped in listing.skipped {
                    print("  \(source) \(skipped.version)  not usable: \(skipped.reason)")
                }
            }
        }
        if found == 0 { print("  none") }
        print("\nSearched, in order:")
        for entry in searchPath.entries { print("  \(entry)") }
    }

    /// Every `HOST/NAMESPACE/TYPE` directory of a mirror.
    static func sources(in directory: String) -> [ProviderSource] {
        let files = FileManager.default
        var out: [ProviderSource] = []
        for host in (try? files.contentsOfDirectory(atPath: directory)) ?? [] {   // a missing directory holds nothing
            let hostPath = (directory as NSString).appendingPathComponent(host)
            for namespace in (try? files.contentsOfDirectory(atPath: hostPath)) ?? [] {   // likewise
                let namespacePath = (hostPath as NSString).appendingPathComponent(namespace)
                for type in (try? files.contentsOfDirectory(atPath: namespacePath)) ?? [] {   // likewise
                    out.append(ProviderSource(host: host, namespace: namespace, type: type))
                }
            }
        }
        return out.sorted()
    }

    private func printSchemas(_ schemas: [ResourceSchema]) {
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

    static func schemaJSON(_ schemas: [ResourceSchema]) -> String {
        Value.map(Dictionary(uniqueKeysWithValues: schemas.map { schema in
            (schema.type, Value.map(schema.attributes.mapValues { attribute in
                var entry: [String: Value] = ["type": .string(attribute.type.description), "mode": .string(attribute.mode.rawValue)]
                if attribute.forceNew { entry["force_new"] = .bool(true) }
                if attribute.sensitive { entry["sensitive"] = .bool(true) }
                if let value = attribute.defaultValue { entry["default"] = value }
                return .map(entry)
            }))
        })).canonicalJSON
    }
}

/// `tend providers lock [--upgrade]`: records the Terraform providers the configuration uses in `.tend.lock.json`.
struct ProvidersLockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock", abstract: "Lock the Terraform providers' versions and binary hashes in .tend.lock.json.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Select the newest installed version each constraint allows, even when another is locked.")
    var upgrade = false

    func run() async throws {
        let workspace = Workspace(global)
        let requirements = ConfigLoader(catalog: SchemaCatalog([])).providerRequirements(directory: workspace.directory)
        if requirements.diagnostics.hasErrors {
            workspace.printDiagnostics(requirements.diagnostics, sources: requirements.sources)
            throw ExitCode.failure
        }
        do {
            let selected = try PluginHost.select(requirements, directory: workspace.directory, environment: workspace.environment,
                                                 upgrade: upgrade)
            try selected.lockFile.write(to: selected.lockPath)
            for selection in selected.selections {
                workspace.terminal.write("\(selection.source) \(selection.installed.version)  sha256:\(selection.hash)\n")
            }
            workspace.terminal.write("Wrote \(ProviderLockFile.fileName).\n")
        } catch {
            workspace.terminal.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}
