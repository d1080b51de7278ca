import Foundation
import ProviderKit
import TendDiff
import TendConfig
import TendModel
import TendState

/// Plans and applies one configuration against one state store with a set of providers.
public struct Engine: Sendable {
    public let registry: ProviderRegistry
    /// The stack's state, through the async API that keeps blocking store calls off the cooperative threads.
    public let state: StackState
    public let output: any OutputSink
    public let clock: @Sendable () -> Date
    public let retry: RetryPolicy
    /// How many objects refresh reads at once.
    public let refreshParallelism: Int
    /// Who is running tend, for locks and the audit log (`user@host`).
    public let actor: String
    public let host: String
    public let pid: Int32
    /// This process's identity beside its pid (boot id and start time), recorded with the lock so a reused pid is
    /// never taken for a live holder; nil when the host cannot tell.
    public let processIdentity: String?
    /// How long taking the lock waits for a live holder to let go, polling; 0 fails at once.
    public let lockTimeout: Double
    /// The providers this engine's run configured.
    let session = ProviderSession()
    /// Keeps a run's large values alive until exit when the caller is a one-shot command.
    public let exitRetainer: ExitRetainer

    /// An engine over `store`, the state of `stack`.
    public init(registry: ProviderRegistry, store: any StateStore, stack: String = "default", output: any OutputSink = SilentOutput(),
                clock: @escaping @Sendable () -> Date, retry: RetryPolicy = RetryPolicy(), refreshParallelism: Int = 16,
                actor: String = "tend", host: String = "localhost", pid: Int32 = 0, processIdentity: String? = nil,
                lockTimeout: Double = 0, exitRetainer: ExitRetainer = .disabled) {
        self.registry = registry
        self.state = StackState(stack: stack, store: store)
        self.output = output
        self.clock = clock
        var counted = retry
        counted.counter = counted.counter ?? RetryCounter()
        self.retry = counted
        self.refreshParallelism = refreshParallelism
        self.actor = actor
        self.host = host
        self.pid = pid
        self.processIdentity = processIdentity
        self.lockTimeout = lockTimeout
        self.exitRetainer = exitRetainer
    }

    /// How many provider operations this engine retried (reads, deletes, updates, and creates sent again after
    /// their outcome was settled), for `--verbose`.
    public var retriedOperations: Int { retry.counter?.value ?? 0 }

    /// The provider context for a provider name under a configuration.
    func context(for provider: String, settings: PlanSettings) -> ProviderContext {
        ProviderContext(baseDirectory: settings.directory, stack: settings.stack,
                        configuration: settings.providers[provider] ?? [:])
    }

    /// The provider and schema for a type, or an error naming the resource.
    func resolve(type: String, address: ResourceAddress) throws -> (any ResourceProvider, ResourceSchema) {
        guard let provider = registry.provider(forType: type), let schema = provider.schema(for: type) else {
            throw Engine.unknownType(type, address: address)
        }
        return (provider, schema)
    }

    /// The error for a resource whose type no provider manages.
    static func unknownType(_ type: String, address: ResourceAddress) -> EngineError {
        EngineError(.unknownProvider, [Diagnostic(.error, "no provider manages type \"\(type)\"", address: address.description)])
    }

    /// A type's provider and a differ for its schema, worked out once per run.
    struct ResolvedType: Sendable {
        var provider: any ResourceProvider
        var differ: Differ
    }

    /// The types some provider manages, resolved; unknown types are left out.
    func resolvedTypes(_ types: Set<String>) -> [String: ResolvedType] {
        var out: [String: ResolvedType] = [:]
        for type in types {
            guard let provider = registry.provider(forType: type), let schema = provider.schema(for: type) else { continue }
            out[type] = ResolvedType(provider: provider, differ: Differ(schema: schema))
        }
        return out
    }

    /// One piece of work for one type, run alongside the other types' (bulk reads, listings).
    struct TypeJob<Output: Sendable>: Sendable {
        var type: String
        var run: @Sendable () async throws -> Output
    }

    /// What one type's job produced, or what went wrong.
    struct TypeOutcome<Output: Sendable>: Sendable {
        var type: String
        var output: Output?
        var error: (any Error)?
    }

    /// Runs every job at once; the outcomes sorted by type.
    static func runEachType<Output: Sendable>(_ jobs: [TypeJob<Output>]) async -> [TypeOutcome<Output>] {
        await withTaskGroup(of: TypeOutcome<Output>.self) { group in
            for job in jobs {
                group.addTask {
                    do {
                        return TypeOutcome(type: job.type, output: try await job.run(), error: nil)
                    } catch {
                        return TypeOutcome(type: job.type, output: nil, error: error)
                    }
                }
            }
            var outcomes: [TypeOutcome<Output>] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes.sorted { $0.type < $1.type }
        }
    }
}

/// What a plan is made from, apart from the specs: where the configuration lives, its stack id and provider blocks.
///
/// A saved plan carries its settings, and `tend apply FILE` uses them as they are: the apply tags with the stack id
/// the plan was made with, and records it with the state (`Engine.recordStack(_:)`), refusing when the recorded id
/// moved since (`recordedStack` no longer matches).
public struct PlanSettings: Sendable, Hashable, Codable {
    /// Absolute manifest directory.
    public var directory: String
    /// The stack id: what created objects are tagged with and crash recovery searches by.
    public var stack: String
    /// The stack id the state had recorded when these settings were worked out; nil when it had none (no state
    /// yet, or one written before ids were recorded).
    public var recordedStack: String?
    public var providers: [String: [String: Value]]

    public init(directory: String, stack: String, providers: [String: [String: Value]], recordedStack: String? = nil) {
        self.directory = directory
        self.stack = stack
        self.recordedStack = recordedStack
        self.providers = providers
    }
}
