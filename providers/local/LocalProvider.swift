// LocalProvider manages files, directories and symlinks on the machine tend runs on:
// local_file, local_directory and local_symlink. It imports ProviderKit, TendModel and
// CCrypto (for SHA-256) only; it never sees the engine, state or another provider.

import Dispatch
import ProviderKit
import TendModel

/// The `local` provider: files, directories and symlinks on this machine.
///
/// Object ids are absolute, standardized paths; relative paths resolve against
/// `ProviderContext.baseDirectory`. Returned attributes keep `path` as the user declared it.
public struct LocalProvider: ResourceProvider {
    /// The resource types this provider manages.
    enum Kind: String, CaseIterable {
        case file = "local_file"
        case directory = "local_directory"
        case symlink = "local_symlink"
    }

    /// Removes temporary files that killed writers left in the directories this provider writes into.
    let sweeper = TemporaryFileSweeper()

    /// Creates the provider.
    public init() {}

    /// `local`.
    public var name: String { "local" }

    /// The schemas of `local_file`, `local_directory` and `local_symlink`.
    public var schemas: [ResourceSchema] {
        [Self.fileSchema, Self.directorySchema, Self.symlinkSchema]
    }

    /// Validates the desired attributes, normalises `mode` and fills `sha256`/`size` when the bytes are known.
    public func plan(type: String, desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        try await plan(type: type, desired: desired, prior: nil, context: context)
    }

    /// Plans like `plan(type:desired:context:)`; a file whose declared text is byte for byte the recorded text keeps
    /// the recorded digest and size instead of hashing the text again.
    public func plan(type: String, desired: [String: Value], prior: [String: Value]?, context: ProviderContext) async throws -> [String: Value] {
        switch try kind(of: type) {
        case .file: return try planFile(desired, prior: prior, context: context)
        case .directory: return try planDirectory(desired, context: context)
        case .symlink: return try planSymlink(desired, context: context)
        }
    }

    /// Reads the object at the path `id`; nil when it is absent or of another kind.
    public func observe(type: String, id: String, prior: [String: Value], context: ProviderContext) async throws -> [String: Value]? {
        try observe(try kind(of: type), id: id, prior: prior)
    }

    /// Reads many objects of one type in parallel chunks on dispatch's threads, so the blocking file system calls
    /// stay off Swift's cooperative threads. Nil when any read fails: the engine then reads them one by one and
    /// names each failure with its resource.
    public func observe(type: String, objects: [BulkObject], context: ProviderContext) async throws -> [[String: Value]?]? {
        let kind = try kind(of: type)
        let chunkSize = 128
        let chunks = stride(from: 0, to: objects.count, by: chunkSize).map { $0..<min($0 + chunkSize, objects.count) }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let read = ParallelWork.map(chunks) { range -> [[String: Value]?]? in
                    var found: [[String: Value]?] = []
                    found.reserveCapacity(range.count)
                    for object in objects[range] {
                        do {
                            // What has not changed comes back as the prior itself (`observeFile`): a no-op plan of
                            // many objects then holds one dictionary per object, not two equal ones.
                            found.append(try observe(kind, id: object.id, prior: object.prior))
                        } catch {
                            return nil
                        }
                    }
                    return found
                }
                var all: [[String: Value]?] = []
                all.reserveCapacity(objects.count)
                for chunk in read {
                    guard let chunk else { return continuation.resume(returning: nil) }
                    all += chunk
                }
                continuation.resume(returning: all)
            }
        }
    }

    /// The bulk read by id, through the one in order.
    public func observe(type: String, priors: [String: [String: Value]], context: ProviderContext) async throws -> [String: [String: Value]]? {
        let objects = priors.map { BulkObject(id: $0.key, prior: $0.value) }
        guard let found = try await observe(type: type, objects: objects, context: context) else { return nil }
        var byID: [String: [String: Value]] = [:]
        for (object, attributes) in zip(objects, found) { byID[object.id] = attributes }
        return byID
    }

    private func observe(_ kind: Kind, id: String, prior: [String: Value]) throws -> [String: Value]? {
        switch kind {
        case .file: return try observeFile(at: id, prior: prior)
        case .directory: return try observeDirectory(at: id, prior: prior)
        case .symlink: return try observeSymlink(at: id, prior: prior)
        }
    }

    /// Creates the object; succeeds when a retried create finds it already as desired.
    public func create(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject {
        switch try kind(of: type) {
        case .file: return try createFile(desired, context: context)
        case .directory: return try createDirectory(desired, context: context)
        case .symlink: return try createSymlink(desired, context: context)
        }
    }

    /// Rewrites content, mode, owner and group, or the link target, in place.
    public func update(type: String, id: String, current: [String: Value], desired: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        switch try kind(of: type) {
        case .file: return try updateFile(at: id, desired: desired, context: context)
        case .directory: return try updateDirectory(at: id, desired: desired)
        case .symlink: return try updateSymlink(at: id, desired: desired, context: context)
        }
    }

    /// Removes the object; succeeds when it is already gone. A directory is removed only when empty.
    public func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws {
        switch try kind(of: type) {
        case .file: try deleteFile(at: id)
        case .directory: try deleteDirectory(at: id)
        case .symlink: try deleteSymlink(at: id)
        }
    }

    /// Finds an object of the desired type at the desired path, as a crashed create may have left it.
    public func recover(type: String, address: ResourceAddress, desired: [String: Value], context: ProviderContext) async throws -> CreatedObject? {
        let kind = try kind(of: type)
        let attributes = DeclaredAttributes(type: type, values: desired)
        guard let declared = try attributes.requiredString("path").known else { return nil }
        let id = try LocalPath.resolve(declared, against: context.baseDirectory)
        let observed: [String: Value]?
        switch kind {
        case .file: observed = try observeFile(at: id, prior: desired)
        case .directory: observed = try observeDirectory(at: id, prior: desired)
        case .symlink: observed = try observeSymlink(at: id, prior: desired)
        }
        return observed.map { CreatedObject(id: id, attributes: $0) }
    }

    /// Nil: local objects cannot be enumerated meaningfully.
    public func list(type: String, context: ProviderContext) async throws -> [String]? {
        _ = try kind(of: type)
        return nil
    }

    // MARK: - Shared helpers

    func kind(of type: String) throws -> Kind {
        guard let kind = Kind(rawValue: type) else {
            throw ProviderError(.unknownType, "the local provider has no resource type \"\(type)\"")
        }
        return kind
    }

    /// The declared path (for returned attributes) and the resolved id; the declared path
    /// must be known by the time anything is applied.
    func resolvedPath(_ attributes: DeclaredAttributes, context: ProviderContext) throws -> (declared: String, id: String) {
        guard let declared = try attributes.requiredString("path").known else {
            throw ProviderError(.invalidInput, "\(attributes.type): path is not known yet")
        }
        return (declared, try LocalPath.resolve(declared, against: context.baseDirectory))
    }

    /// The path as the prior attributes declared it, or the id when there is none.
    func declaredPath(_ prior: [String: Value], id: String) -> Value {
        if let path = prior["path"], path != .null { return path }
        return .string(id)
    }

    /// Whether `prior` declared an attribute.
    func declares(_ prior: [String: Value], _ key: String) -> Bool {
        declared(prior, key) != nil
    }

    /// The value `prior` declares for an attribute: set and not null.
    func declared(_ prior: [String: Value], _ key: String) -> Value? {
        guard let value = prior[key], value != .null else { return nil }
        return value
    }
}

extension LocalProvider {
    /// Whether the provider block asks for fsync after every write (`providers: { local: { durable_writes: true } }`).
    /// Off by default, as in Terraform's local provider: writes are atomic (temp file + rename) either way, so a
    /// crashed process never leaves a half-written file; durability adds survival of a power loss at a cost.
    static func isDurable(_ context: ProviderContext) -> Bool {
        context.configuration["durable_writes"] == .bool(true)
    }
}
