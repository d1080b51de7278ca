import ProviderKit
import TendModel

/// `local_symlink`: plan, observe, create, update and delete.
extension LocalProvider {
    func planSymlink(_ desired: [String: Value], context: ProviderContext) throws -> [String: Value] {
        let attributes = DeclaredAttributes(type: Kind.symlink.rawValue, values: desired)
        if let declared = try attributes.requiredString("path").known {
            _ = try LocalPath.resolve(declared, against: context.baseDirectory)
        }
        if let target = try attributes.requiredString("target").known, target.isEmpty {
            throw ProviderError(.invalidInput, "local_symlink: target must not be empty")
        }
        return desired
    }

    func observeSymlink(at id: String, prior: [String: Value]) throws -> [String: Value]? {
        guard let status = try FileSystem.status(at: id), status.kind == .symlink,
              let target = try FileSystem.readLink(id)
        else { return nil }
        return ["path": declaredPath(prior, id: id), "target": .string(target)]
    }

    func createSymlink(_ desired: [String: Value], context: ProviderContext) throws -> CreatedObject {
        let attributes = DeclaredAttributes(type: Kind.symlink.rawValue, values: desired)
        let (_, id) = try resolvedPath(attributes, context: context)
        try link(at: id, attributes: attributes, context: context)
        guard let observed = try observeSymlink(at: id, prior: desired) else {
            throw ProviderError(.failed, "local_symlink \(id) vanished right after it was created")
        }
        return CreatedObject(id: id, attributes: observed)
    }

    func updateSymlink(at id: String, desired: [String: Value], context: ProviderContext) throws -> [String: Value] {
        let attributes = DeclaredAttributes(type: Kind.symlink.rawValue, values: desired)
        try link(at: id, attributes: attributes, context: context)
        guard let observed = try observeSymlink(at: id, prior: desired) else {
            throw ProviderError(.failed, "local_symlink \(id) vanished right after it was updated")
        }
        return observed
    }

    func deleteSymlink(at id: String) throws {
        sweeper.sweepOnce(LocalPath.parent(of: id))
        guard let status = try FileSystem.status(at: id), status.kind == .symlink else { return }
        try FileSystem.removeFile(id)
    }

    /// Points the link at the desired target, replacing another link atomically; a file or
    /// directory in the way is a conflict.
    private func link(at id: String, attributes: DeclaredAttributes, context: ProviderContext) throws {
        guard let target = try attributes.requiredString("target").known, !target.isEmpty else {
            throw ProviderError(.invalidInput, "local_symlink \(id): target is empty or not known yet")
        }
        sweeper.sweepOnce(LocalPath.parent(of: id))
        switch try FileSystem.status(at: id)?.kind {
        case nil:
            try FileSystem.linkAtomically(id, to: target, durable: Self.isDurable(context))
        case .symlink?:
            if try FileSystem.readLink(id) != target { try FileSystem.linkAtomically(id, to: target, durable: Self.isDurable(context)) }
        case .regular?, .directory?, .other?:
            throw ProviderError(.conflict, "local_symlink \(id): something other than a symlink is in the way")
        }
    }
}
