// The aws provider: AWS resource types over the real AWS wire protocol (EC2 and IAM Query APIs, S3 REST-XML),
// signed with SigV4, through TendHTTP. Works against AWS itself and AWS-compatible endpoints (moto_server in tests).

import Foundation
import ProviderKit
import TendModel

/// The `aws` provider.
public struct AWSProvider: ResourceProvider {
    /// Always `aws`.
    public var name: String { "aws" }

    let environment: [String: String]
    let homeDirectory: String?
    let clock: @Sendable () -> Date
    let sessions = SessionCache()
    let types: [String: any AWSResourceType]

    /// A provider reading credentials from `environment` and the shared credentials file under `homeDirectory`.
    public init(environment: [String: String], homeDirectory: String?, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.clock = clock
        var types: [String: any AWSResourceType] = [:]
        for type in AWSProvider.allTypes { types[type.schema.type] = type }
        self.types = types
    }

    /// Every resource type this provider manages.
    static var allTypes: [any AWSResourceType] { computeTypes + storageAndIdentityTypes }

    /// The schemas of every type.
    public var schemas: [ResourceSchema] { types.keys.sorted().compactMap { types[$0]?.schema } }

    /// Requests sent by every session so far (for --verbose and benchmarks).
    public func requestCount() async -> Int { await sessions.requestCount() }

    /// `http_requests`: requests sent by every session so far; `http_retries`: of those, requests the HTTP client
    /// sent again (throttled, never sent, or reads).
    public func statistics() async -> [String: Int] {
        ["http_requests": await requestCount(), "http_retries": await retryCount()]
    }

    /// Of those, requests the HTTP client sent again (throttled, never sent, or reads), for --verbose.
    public func retryCount() async -> Int { await sessions.retryCount() }

    func handler(_ type: String) throws -> any AWSResourceType {
        guard let handler = types[type] else { throw ProviderError(.unknownType, "the aws provider has no type \(type)") }
        return handler
    }

    func session(_ context: ProviderContext) async throws -> AWSSession {
        try await sessions.session(for: context.configuration) { block in
            let configuration = try AWSConfiguration.resolve(block: block, environment: environment, homeDirectory: homeDirectory)
            let concurrency = try Self.integerSetting("max_concurrency", in: block)
            let retries = try Self.integerSetting("max_retries", in: block)
            let timeout = try Self.integerSetting("request_timeout", in: block)
            return AWSSession(configuration: configuration, maxConcurrency: concurrency, maxRetries: retries,
                              requestTimeout: Double(timeout), clock: clock)
        }
    }

    /// The tags tend puts on every object it creates, so a crash between create and the state write can be recovered.
    static func tendTags(address: ResourceAddress, context: ProviderContext) -> [String: String] {
        ["tend:stack": context.stack, "tend:address": address.description]
    }

    public func plan(type: String, desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        try await handler(type).plan(desired, session: session(context))
    }

    public func observe(type: String, id: String, prior: [String: Value], context: ProviderContext) async throws -> [String: Value]? {
        try await handler(type).observe(id: id, prior: prior, scope: ReadScope(context), session: session(context))
    }

    public func observe(type: String, priors: [String: [String: Value]], context: ProviderContext) async throws -> [String: [String: Value]]? {
        try await handler(type).observe(priors: priors, scope: ReadScope(context), session: session(context))
    }

    /// Creates the object. A transient error that does not say `wasNotSent` leaves the outcome unknown: the object
    /// may exist, and `recover` finds it.
    public func create(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject {
        let resourceType = try handler(type)
        let connection = try await session(context)
        return try await EC2API.$replaced.withValue(context.replacing) {
            try await AWSOperationJournal.run {
                try await resourceType.create(address: address, desired: desired, tags: Self.tendTags(address: address, context: context),
                                              session: connection)
            }
        }
    }

    public func update(type: String, id: String, current: [String: Value], desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let resourceType = try handler(type)
        let connection = try await session(context)
        return try await AWSOperationJournal.run {
            try await resourceType.update(id: id, current: current, desired: desired, session: connection)
        }
    }

    public func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws {
        let connection = try await session(context)
        try await handler(type).delete(id: id, current: current, session: connection)
        await connection.inventory.noteDeleted(id)
    }

    public func recover(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject? {
        let resourceType = try handler(type)
        let connection = try await session(context)
        return try await EC2API.$replaced.withValue(context.replacing) {
            try await resourceType.recover(address: address, desired: desired, tags: Self.tendTags(address: address, context: context),
                                           session: connection)
        }
    }

    public func list(type: String, context: ProviderContext) async throws -> [String]? {
        try await handler(type).list(session: session(context))
    }

    public func listObjects(type: String, context: ProviderContext) async throws -> [ListedObject]? {
        try await handler(type).listObjects(session: session(context))
    }
}

/// Sessions by provider block, so every resource with the same block shares one HTTP client.
actor SessionCache {
    private var sessions: [String: AWSSession] = [:]

    func session(for block: [String: Value], make: ([String: Value]) throws -> AWSSession) throws -> AWSSession {
        let key = Value.map(block).canonicalJSON
        if let existing = sessions[key] { return existing }
        let made = try make(block)
        sessions[key] = made
        return made
    }

    func requestCount() -> Int { sessions.values.reduce(0) { $0 + $1.requestCount } }

    func retryCount() -> Int { sessions.values.reduce(0) { $0 + $1.retryCount } }
}
