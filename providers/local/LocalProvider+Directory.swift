import ProviderKit
import TendModel

/// `local_directory`: plan, observe, create, update and delete.
extension LocalProvider {
    static let defaultDirectoryMode = FileMode(bits: 0o755)

    func planDirectory(_ desired: [String: Value], context: ProviderContext) throws -> [String: Value] {
        let attributes = DeclaredAttributes(type: Kind.directory.rawValue, values: desired)
        if let declared = try attributes.requiredString("path").known {
            _ = try LocalPath.resolve(declared, against: context.baseDirectory)
        }
        var planned = desired
        if let mode = try attributes.mode(default: Self.defaultDirectoryMode) {
            planned["mode"] = .string(mode.description)
        }
        return planned
    }

    func observeDirectory(at id: String, prior: [String: Value]) throws -> [String: Value]? {
        guard let status = try FileSystem.status(at: id), status.kind == .directory else { return nil }
        return ["path": declaredPath(prior, id: id), "mode": .string(status.mode.description)]
    }

    func createDirectory(_ desired: [String: Value], context: ProviderContext) throws -> CreatedObject {
        let attributes = DeclaredAttributes(type: Kind.directory.rawValue, values: desired)
        let (_, id) = try resolvedPath(attributes, context: context)
        try makeDirectory(at: id, attributes: attributes)
        guard let observed = try observeDirectory(at: id, prior: desired) else {
            throw ProviderError(.failed, "local_directory \(id) vanished right after it was created")
        }
        return CreatedObject(id: id, attributes: observed)
    }

    func updateDirectory(at id: String, desired: [String: Value]) throws -> [String: Value] {
        let attributes = DeclaredAttributes(type: Kind.directory.rawValue, values: desired)
        try makeDirectory(at: id, attributes: attributes)
        guard let observed = try observeDirectory(at: id, prior: desired) else {
            throw ProviderError(.failed, "local_directory \(id) vanished right after it was updated")
        }
        return observed
    }

    /// Removes the directory when it is empty; refuses, terminally, when it holds anything. Temporary files that
    /// killed writers left in it are removed first (see `TemporaryFile`); one of a live writer still counts.
    func deleteDirectory(at id: String) throws {
        guard let status = try FileSystem.status(at: id), status.kind == .directory else { return }
        TemporaryFile.removeStale(in: id)
        let entries = try FileSystem.entries(of: id)
        guard entries.isEmpty else {
            let shown = entries.prefix(5).joined(separator: ", ") + (entries.count > 5 ? ", …" : "")
            let noun = entries.count == 1 ? "entry" : "entries"
            throw ProviderError(.conflict, "cannot delete local_directory \(id): it holds \(entries.count) \(noun) that tend does not manage here (\(shown))",
                                remoteCode: "ENOTEMPTY")
        }
        try FileSystem.removeDirectory(id)
    }

    /// Creates the directory and its parents if missing, then sets its mode.
    private func makeDirectory(at id: String, attributes: DeclaredAttributes) throws {
        guard let mode = try attributes.mode(default: Self.defaultDirectoryMode) else {
            throw ProviderError(.invalidInput, "local_directory \(id): mode is not known yet")
        }
        if let status = try FileSystem.status(at: id), status.kind != .directory {
            throw ProviderError(.conflict, "local_directory \(id): something other than a directory is in the way")
        }
        try FileSystem.makeDirectories(id, mode: mode)
        try FileSystem.setMode(mode, of: id)
    }
}
