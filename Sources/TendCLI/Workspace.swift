import ArgumentParser
import Foundation
import AWSProvider
import LocalProvider
import ProviderKit
import TendConfig
import TendEngine
import TendModel
import TendState

/// Everything one command invocation needs: the configuration directory, the state, the providers, the terminal.
struct Workspace {
    let options: GlobalOptions
    let terminal: Terminal
    /// The providers compiled into tend.
    let builtins: ProviderRegistry
    /// The Terraform provider plugins the configuration declares, once `loadConfiguration()` started them.
    let plugins = PluginHost()
    let environment: [String: String]
    /// The configuration directory, absolute.
    let directory: String
    /// The SQLite state file; with a PostgreSQL state, where the file would be (`DIR/.tend/state.db`), whose directory
    /// still holds what stays on this machine, such as the plan key.
    let statePath: String
    /// The PostgreSQL state's URL, when `--state` (or `TEND_STATE`) is a `postgres://` or `postgresql://` URL.
    let stateURL: String?
    /// Whether the engine keeps a run's large values until exit: only for commands that exit when they are done.
    let exitRetainer: ExitRetainer
    /// How long taking the state lock waits for another run to let go (`--lock-timeout`), in seconds.
    let lockTimeout: Double
    /// How long a SQLite state's lock lasts without renewal (`TEND_LOCK_LEASE`), in seconds.
    let lockLease: Double

    /// - Parameter exitsWhenDone: the command exits right after its run (plan, drift), so freeing what the run built
    ///   can be left to the operating system.
    /// - Parameter lock: `--lock-timeout`, for commands that take the state lock.
    init(_ options: GlobalOptions, lock: LockOptions? = nil, exitsWhenDone: Bool = false) {
        self.options = options
        self.lockTimeout = lock?.lockTimeout.seconds ?? 0
        self.exitRetainer = ExitRetainer(isEnabled: exitsWhenDone)
        self.environment = ProcessInfo.processInfo.environment
        // A bad value is refused before a command that takes the lock runs (`LockOptions.validate()`); the others
        // never take the lock, so the lease does not matter to them.
        self.lockLease = (try? Workspace.lockLease(environment: environment)) ?? Workspace.defaultLockLease
        self.terminal = Terminal(noColor: options.noColor, environment: environment)
        self.builtins = Workspace.makeRegistry(environment: environment)
        let cwd = FileManager.default.currentDirectoryPath
        self.directory = Workspace.absolute(options.dir, from: cwd)
        let state = options.state ?? environment["TEND_STATE"].flatMap { $0.isEmpty ? nil : $0 }
        let defaultPath = (directory as NSString).appendingPathComponent(".tend/state.db")
        if let state, PostgresLocation.isURL(state) {
            self.stateURL = state
            self.statePath = defaultPath
        } else {
            self.stateURL = nil
            self.statePath = state.map { Workspace.absolute($0, from: cwd) } ?? defaultPath
        }
    }

    /// The providers compiled into tend.
    static func makeRegistry(environment: [String: String] = ProcessInfo.processInfo.environment) -> ProviderRegistry {
        ProviderRegistry([LocalProvider(), AWSProvider(environment: environment, homeDirectory: environment["HOME"])])
    }

    /// Every provider: the built-in ones, and the plugins the configuration declares (a plugin block named like a
    /// built-in provider replaces it), with the types resources moved by `options.provider`.
    var registry: ProviderRegistry {
        var registry = builtins
        for plugin in plugins.providers { registry.register(plugin) }
        registry.routes = plugins.routes
        registry.dataRoutes = plugins.dataRoutes
        return registry
    }

    /// Stops the plugins this command started; every command that loads a configuration calls it when done.
    func stopPlugins() async {
        await plugins.stopAll()
    }

    static func absolute(_ path: String, from cwd: String) -> String {
        let full = path.hasPrefix("/") ? path : (cwd as NSString).appendingPathComponent(path)
        return (full as NSString).standardizingPath
    }

    var palette: Palette { Palette(enabled: terminal.useColor) }

    /// Loads and validates the configuration in two phases: the providers' schemas, fetched at run time, then the
    /// resources against them. Prints every diagnostic and fails when there are errors.
    func loadConfiguration() async throws -> Configuration {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            terminal.error("error: configuration directory \(options.dir) does not exist")
            throw ExitCode.failure
        }
        let variables: [String: String]
        do { variables = try options.parsedVariables() } catch let error as ValidationError {
            terminal.error("error: \(error.message)")
            throw ExitCode.failure
        }
        try await startPlugins()
        let catalog: SchemaCatalog
        do { catalog = try await registry.fetchCatalog() } catch {
            terminal.error("error: \(error)")
            await stopPlugins()
            throw ExitCode.failure
        }
        let loader = ConfigLoader(catalog: catalog)
        let result = loader.load(directory: options.dir, variables: variables, varFiles: options.varFiles,
                                 environment: environment)
        printDiagnostics(result.diagnostics, sources: result.sources)
        guard let configuration = result.configuration, !result.diagnostics.hasErrors else {
            await stopPlugins()
            let count = result.diagnostics.filter { $0.severity == .error }.count
            terminal.error("\(count) error\(count == 1 ? "" : "s") in the configuration; nothing was changed.")
            throw ExitCode.failure
        }
        return configuration
    }

    /// Phase zero of loading: the Terraform providers the manifests declare, found, locked and started.
    func startPlugins() async throws {
        let requirements = ConfigLoader(catalog: SchemaCatalog([])).providerRequirements(directory: directory)
        if !requirements.diagnostics.isEmpty {
            printDiagnostics(requirements.diagnostics, sources: requirements.sources)
            if requirements.diagnostics.hasErrors {
                terminal.error("the provider blocks have errors; nothing was changed.")
                throw ExitCode.failure
            }
        }
        let verbose = options.verbose || environment["TEND_LOG"] != nil
        let terminal = terminal
        do {
            try await plugins.start(requirements, directory: directory, environment: pluginEnvironment) { line in
                if verbose { terminal.error(line) }
            }
        } catch {
            terminal.error("error: \(error)")
            throw ExitCode.failure
        }
    }

    func printDiagnostics(_ diagnostics: [Diagnostic], sources: [String: String] = [:]) {
        for (diagnostic, rendered) in zip(diagnostics, DiagnosticRenderer.render(diagnostics, sources: sources)) {
            var text = rendered
            if let detail = diagnostic.detail, !text.contains(detail) { text += "\n  " + detail }
            terminal.error(text)
        }
    }

    /// The key of this workspace's stack in its state: the state URL's `stack` parameter, else the directory's name
    /// (a SQLite file holds one stack; a PostgreSQL schema many).
    var stackKey: String {
        let directoryName = (directory as NSString).lastPathComponent
        guard let stateURL, let location = try? PostgresLocation(parsing: stateURL) else { return directoryName }
        // A URL that does not parse fails every use of the store itself, with its own message; the key does not matter then.
        return location.stack ?? directoryName
    }

    /// The stack's state through the async API (`StackState`), with the state key's encryption over it.
    /// `readsHistory`: the command reads the history, which the check at open then covers too.
    func makeStackState(readsHistory: Bool = false) -> StackState {
        let base = makeBaseStore()
        if readsHistory { (base as? SQLiteStateStore)?.checksHistoryAtOpen(true) }
        return StackState(stack: stackKey, store: encrypting(base))
    }

    /// The state store: PostgreSQL at `stateURL`, else SQLite at `statePath`. Nothing is opened here: the file is
    /// opened and checked on first use, where a damaged or foreign file is an error (and is left alone), and reads of
    /// a missing file create nothing; the server is connected to on first use, where a bad URL or an unreachable server
    /// is an error naming the host and port (never the password).
    ///
    /// A PostgreSQL state's stack key is the URL's `stack` parameter, else the configuration directory's name.
    ///
    /// The store encrypts values at rest with the state key, when one is given (see `Workspace+StateKey.swift`), and
    /// refuses an encrypted state without its key on first use.
    func makeStore() -> any StateStore {
        encrypting(makeBaseStore())
    }

    /// The store underneath `makeStore()`'s encryption, which holds the sealed values as they are.
    func makeBaseStore() -> any StateStore {
        if let stateURL {
            return PostgresStateStore(url: stateURL, defaultStack: (directory as NSString).lastPathComponent)
        }
        return SQLiteStateStore(path: statePath, createIfMissing: false, leaseDuration: lockLease)
    }

    /// The lease of a SQLite state's lock when `TEND_LOCK_LEASE` is not set: a minute.
    static let defaultLockLease: Double = 60

    /// `TEND_LOCK_LEASE`: how long a SQLite state's lock lasts without renewal, in seconds (docs/locking.md); the
    /// default when unset or empty. A PostgreSQL state takes it from its URL's `lease` parameter instead.
    /// - Throws: `ValidationError` naming the variable, for anything but a duration (`30s`, `2m`, `1h`, `500ms` or plain
    ///   seconds) above zero and at most a day.
    static func lockLease(environment: [String: String]) throws -> Double {
        guard let text = environment["TEND_LOCK_LEASE"], !text.isEmpty else { return defaultLockLease }
        guard let lease = LockTimeout(argument: text), lease.seconds > 0 else {
            throw ValidationError("TEND_LOCK_LEASE expects a duration above zero such as 30s, 2m or 1h (at most a day), "
                + "got \"\(text)\"")
        }
        return lease.seconds
    }

    /// The state store, with a SQLite file opened and checked in the background while the command goes on (loading
    /// the configuration): `writing` when the command's first use of state writes (it takes the lock).
    /// `history`: whether the check when the file is opened covers the history (`SQLiteStateStore.checksHistoryAtOpen`;
    /// nil: when the command writes).
    func makePreparedStore(writing: Bool, history: Bool? = nil) -> any StateStore {
        let store = makeBaseStore()
        if let history { (store as? SQLiteStateStore)?.checksHistoryAtOpen(history) }
        (store as? SQLiteStateStore)?.prepare(writing: writing)
        return encrypting(store)
    }

    /// A store to copy a state into (`tend state migrate --to`): PostgreSQL for a `postgres://` URL (the stack key as
    /// for `makeStore()`), else a SQLite file, created when missing; with how to name it in messages.
    func makeImportingStore(at location: String) -> (store: any StateImporting, description: String) {
        if PostgresLocation.isURL(location) {
            let store = PostgresStateStore(url: location, defaultStack: (directory as NSString).lastPathComponent)
            return (store, store.location)
        }
        let path = Workspace.absolute(location, from: FileManager.default.currentDirectoryPath)
        return (SQLiteStateStore(path: path, createIfMissing: true, leaseDuration: lockLease), path)
    }

    /// The key that seals saved plans: kept with a PostgreSQL state, or in `plan.key` beside a SQLite file; made on
    /// first use when `creating`. With a state key, plans are sealed under a key derived from both (docs/state-encryption.md).
    func planKey(creating: Bool) throws -> PlanKey {
        let planKey: PlanKey
        if let store = makeBaseStore() as? PostgresStateStore {
            planKey = try store.planKey(creating: creating)
        } else {
            let path = PlanKey.path(besideState: statePath)
            planKey = creating ? try PlanKey.loadOrCreate(at: path) : try PlanKey.load(from: path)
        }
        return try sealingKey(for: planKey)
    }

    /// A plan saved by `tend plan -out`, opened with the plan key kept with the state; exit 1 with a clear message when
    /// the file cannot be read or is not a plan this state's key opens.
    func loadSavedPlan(at path: String) async throws -> PlanFile {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            terminal.error("error: cannot read plan file \(path): \(error.localizedDescription)")
            throw ExitCode.failure
        }
        return try await guarded { try PlanFile.decode(data, path: path) { try planKey(creating: false) } }
    }

    /// Where the state is, for messages: the file, or the URL without its password.
    var stateDescription: String {
        (makeBaseStore() as? PostgresStateStore)?.location ?? statePath
    }

    /// Whether there may be a state to record in: a SQLite file that exists, or a PostgreSQL state.
    var mayHaveState: Bool {
        stateURL != nil || FileManager.default.fileExists(atPath: statePath)
    }

    /// With --verbose: how many HTTP requests the providers sent (to stderr, so JSON output stays clean).
    func reportRequestCount(engine: Engine? = nil) async {
        if options.verbose, let engine, engine.retriedOperations > 0 {
            terminal.error("provider operations retried by the engine: \(engine.retriedOperations)")
        }
        guard options.verbose else { return }
        var count = 0
        var retries = 0
        var pluginCalls: [String: Int] = [:]
        for name in registry.providers.keys.sorted() {
            let statistics = await registry.provider(named: name)?.statistics() ?? [:]
            count += statistics["http_requests"] ?? 0
            retries += statistics["http_retries"] ?? 0
            if let calls = statistics["plugin_calls"] { pluginCalls[name] = calls }
        }
        if count > 0 { terminal.error("HTTP requests sent: \(count)" + (retries > 0 ? " (\(retries) of them retries)" : "")) }
        for name in pluginCalls.keys.sorted() {
            terminal.error("calls to provider \(name) (a Terraform plugin): \(pluginCalls[name] ?? 0)")
        }
    }

    func makeEngine(store: any StateStore) -> Engine {
        let user = LocalHost.userName(environment: environment)
        let host = LocalHost.name
        return Engine(registry: registry, store: store, stack: stackKey, output: terminal, clock: { Date() },
                      actor: "\(user)@\(host)", host: host, pid: getpid(), processIdentity: LocalProcess.currentIdentity,
                      lockTimeout: lockTimeout, exitRetainer: exitRetainer)
    }

    /// The settings to plan and apply `configuration` with; the stack id comes from the state (see
    /// `Engine.settings(for:absoluteDirectory:)`).
    func settings(for configuration: Configuration, engine: Engine) async throws -> PlanSettings {
        try await engine.settings(for: configuration, absoluteDirectory: directory)
    }

    /// Runs work that takes the state lock so that SIGINT, SIGTERM, SIGHUP and a stdout reader that went away stop
    /// it cleanly (see `SignalTrap`): operations in flight finish, the run's outcome is recorded, the lock is
    /// released; then the command exits with 128 + the signal's number.
    func interruptible<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let trap = SignalTrap(terminal: terminal)
        let value: T
        do {
            value = try await trap.run(body)
        } catch {
            if let signal = trap.receivedSignal { throw ExitCode(128 + signal) }
            throw error
        }
        if let signal = trap.receivedSignal { throw ExitCode(128 + signal) }
        return value
    }

    /// Runs a state operation, turning its errors into a message and exit code 1.
    func guarded<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let code as ExitCode {
            throw code
        } catch is CancellationError {
            terminal.error("Stopped before anything was changed.")
            throw ExitCode.failure
        } catch let error as EngineError {
            printDiagnostics(error.diagnostics)
            throw ExitCode.failure
        } catch {
            terminal.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}
