import Foundation
import TendConfig
import TendModel
import TendPlugin
import TendPluginRPC

/// The Terraform provider plugins one command runs: found offline, checked against the lock file beside the
/// manifests, started (each in the background, so they start while the rest loads), and stopped when the command
/// ends.
final class PluginHost: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [PluginProvider] = []
    private var chosen: [String: String] = [:]
    private var chosenForData: [String: String] = [:]

    /// The started plugins.
    var providers: [PluginProvider] { lock.withLock { running } }
    /// The provider each type's resources chose with `options.provider`.
    var routes: [String: String] { lock.withLock { chosen } }
    /// The provider each data source type's `data:` entries chose with `options.provider`.
    var dataRoutes: [String: String] { lock.withLock { chosenForData } }

    /// Where one provider block's binary is, and how it was chosen.
    struct Selection: Sendable {
        var plugin: ProviderRequirements.Plugin
        var source: ProviderSource
        var installed: InstalledProvider
        var hash: String
    }

    /// Finds every plugin the requirements name and checks (and updates) the lock file. Errors say which provider
    /// block, where tend looked, and how to install one.
    static func select(_ requirements: ProviderRequirements, directory: String, environment: [String: String],
                       upgrade: Bool = false) throws -> (selections: [Selection], lockFile: ProviderLockFile, lockPath: String) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let searchPath = try ProviderSearchPath.load(environment: environment, homeDirectory: home, workingDirectory: directory)
        let locator = ProviderLocator(searchPath: searchPath)
        let lockPath = (directory as NSString).appendingPathComponent(ProviderLockFile.fileName)
        var lockFile = FileManager.default.fileExists(atPath: lockPath) ? try ProviderLockFile.read(from: lockPath)
            : ProviderLockFile()
        var hashes = ProviderHashCache(path: (cacheDirectory(environment: environment, home: home) as NSString)
            .appendingPathComponent("provider-hashes.json"))
        var selections: [Selection] = []
        for plugin in requirements.plugins {
            do {
                let source = try ProviderSource(parsing: plugin.source)
                let constraint = try plugin.version.map { try VersionConstraint(parsing: $0) } ?? .any
                let installed = try lockFile.select(source: source, constraint: constraint, from: locator.search(for: source),
                                                    upgrade: upgrade) { path in try hashes.hexDigest(ofFileAt: path) }
                let hash = try hashes.hexDigest(ofFileAt: installed.executablePath)
                selections.append(Selection(plugin: plugin, source: source, installed: installed, hash: hash))
            } catch {
                throw PluginHostError("\(plugin.location): provider \"\(plugin.name)\" (\(plugin.source)): \(error)")
            }
        }
        try? hashes.save()   // a cache: failing to write it costs the next run a hash, nothing else
        return (selections, lockFile, lockPath)
    }

    /// Selects, locks and starts the plugins of `requirements`.
    func start(_ requirements: ProviderRequirements, directory: String, environment: [String: String],
               log: @escaping @Sendable (String) -> Void) async throws {
        lock.withLock {
            chosen = requirements.routes
            chosenForData = requirements.dataRoutes
        }
        guard !requirements.plugins.isEmpty else { return }
        let (selections, lockFile, lockPath) = try PluginHost.select(requirements, directory: directory, environment: environment)
        let existing = FileManager.default.contents(atPath: lockPath).map { [UInt8]($0) }
        if existing != lockFile.encoded() {
            do { try lockFile.write(to: lockPath) } catch {
                throw PluginHostError("cannot write the provider lock file \(lockPath): \(error)")
            }
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let schemaCache = (PluginHost.cacheDirectory(environment: environment, home: home) as NSString)
            .appendingPathComponent("plugin-schemas")
        let started = try await withThrowingTaskGroup(of: PluginProvider.self) { group in
            for selection in selections {
                let launch = PluginLaunch(name: selection.plugin.name, source: selection.source.description,
                                          executable: selection.installed.executablePath, binaryHash: selection.hash,
                                          protocolVersion: selection.installed.protocolVersion, environment: environment,
                                          schemaCacheDirectory: schemaCache, callTimeout: selection.plugin.timeout ?? 300)
                let name = selection.plugin.name
                group.addTask { try await PluginProvider.start(launch, log: PluginLog(name: name, sink: log)) }
            }
            var out: [PluginProvider] = []
            do {
                for try await provider in group { out.append(provider) }
            } catch {
                for provider in out { await provider.stop() }
                throw error
            }
            return out
        }
        lock.withLock { running = started.sorted { $0.name < $1.name } }
    }

    /// Stops every plugin (go-plugin's Shutdown; killed when it does not exit).
    func stopAll() async {
        let all = lock.withLock {
            defer { running = [] }
            return running
        }
        for provider in all { await provider.stop() }
    }

    /// `$XDG_CACHE_HOME/tend`, or `~/.cache/tend`.
    static func cacheDirectory(environment: [String: String], home: String) -> String {
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (home as NSString).appendingPathComponent(".cache")
        return (base as NSString).appendingPathComponent("tend")
    }
}

/// A plugin that cannot be found, locked or started.
struct PluginHostError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
