import Foundation
import ProviderKit
import TendModel

/// `local_file`: plan, observe, create, update and delete.
extension LocalProvider {
    /// The attributes that give a file its bytes; exactly one must be set.
    static let contentKeys = ["content", "source", "sensitive_content"]
    static let defaultFileMode = FileMode(bits: 0o644)

    func planFile(_ desired: [String: Value], prior: [String: Value]?, context: ProviderContext) throws -> [String: Value] {
        let attributes = DeclaredAttributes(type: Kind.file.rawValue, values: desired)
        if let declared = try attributes.requiredString("path").known {
            _ = try LocalPath.resolve(declared, against: context.baseDirectory)
        }
        let mode = try attributes.mode(default: Self.defaultFileMode)
        if let owner = try attributes.string("owner").known { _ = try Accounts.userID(named: owner) }
        if let group = try attributes.string("group").known { _ = try Accounts.groupID(named: group) }
        let recorded = try prior.flatMap { try Self.recordedDigest(attributes, prior: $0) }
        // What is recorded already is the plan: handed back as the prior itself, without building an equal
        // dictionary (a no-op plan of many files then compares each object with itself).
        if let prior, recorded != nil, let mode, Self.planned(desired, mode: mode, equals: prior) { return prior }
        var planned = desired
        if let mode { planned["mode"] = .string(mode.description) }
        if let (digest, size) = recorded {
            planned["sha256"] = .string(digest)
            planned["size"] = .number(size)
        } else if let bytes = try fileBytes(attributes, context: context).known {
            planned["sha256"] = .string(SHA256Digest(hashing: bytes).hex)
            planned["size"] = .number(Number(bytes.count))
        } else {
            planned["sha256"] = nil
            planned["size"] = nil
        }
        return planned
    }

    /// Whether the planned file (`desired` with `mode`, and the digest and size `prior` records for the same
    /// content) is `prior` exactly: every declared value as recorded, and nothing else recorded.
    static func planned(_ desired: [String: Value], mode: FileMode, equals prior: [String: Value]) -> Bool {
        let computed = ["mode", "sha256", "size"].filter { desired[$0] == nil }.count
        guard prior.count == desired.count + computed, prior["mode"] == .string(mode.description),
              prior["sha256"] != nil, prior["size"] != nil else { return false }
        return desired.allSatisfy { key, value in key == "mode" || prior[key] == value }
    }

    func observeFile(at id: String, prior: [String: Value]) throws -> [String: Value]? {
        guard let status = try FileSystem.status(at: id), status.kind == .regular,
              let bytes = try FileSystem.readFile(at: id, expectedSize: Int(clamping: max(0, status.size)))
        else { return nil }
        // Each content attribute the prior declares, looked up once; in the order of `contentKeys`.
        let content = declared(prior, "content"), source = declared(prior, "source")
        let sensitive = declared(prior, "sensitive_content")
        // Unchanged content reuses the recorded string: a no-op plan of many files then holds each text once.
        let recorded = [content, source, sensitive].lazy.compactMap { $0?.stringValue }.first { Self.hasBytes($0, bytes) }
        let text = recorded ?? String(decoding: bytes, as: UTF8.self)
        let declaresContent = content != nil || source != nil || sensitive != nil
        var fields: [(String, Value)] = []
        fields.reserveCapacity(9)
        fields.append(("path", declaredPath(prior, id: id)))
        if content != nil || (!declaresContent && Array(text.utf8) == bytes) {
            fields.append(("content", .string(text)))
        }
        if sensitive != nil { fields.append(("sensitive_content", .string(text))) }
        if let source { fields.append(("source", source)) }
        fields.append(("mode", .string(status.mode.description)))
        // Bytes equal, byte for byte, to the recorded text have the digest recorded with it; others are hashed.
        if recorded != nil, let digest = prior["sha256"]?.stringValue, SHA256Digest.isHex(digest) {
            fields.append(("sha256", .string(digest)))
        } else {
            fields.append(("sha256", .string(SHA256Digest(hashing: bytes).hex)))
        }
        fields.append(("size", .number(Number(bytes.count))))
        if declares(prior, "owner") { fields.append(("owner", .string(Accounts.userName(of: status.uid)))) }
        if declares(prior, "group") { fields.append(("group", .string(Accounts.groupName(of: status.gid)))) }
        // What is as recorded is handed back as the prior itself, without building an equal dictionary: a no-op plan
        // of many files reads each one and builds nothing.
        if fields.count == prior.count, fields.allSatisfy({ prior[$0.0] == $0.1 }) { return prior }
        return Dictionary(fields, uniquingKeysWith: { _, last in last })
    }

    func createFile(_ desired: [String: Value], context: ProviderContext) throws -> CreatedObject {
        let attributes = DeclaredAttributes(type: Kind.file.rawValue, values: desired)
        let (_, id) = try resolvedPath(attributes, context: context)
        try writeFile(at: id, attributes: attributes, context: context)
        guard let observed = try observeFile(at: id, prior: desired) else {
            throw ProviderError(.failed, "local_file \(id) vanished right after it was written")
        }
        return CreatedObject(id: id, attributes: observed)
    }

    func updateFile(at id: String, desired: [String: Value], context: ProviderContext) throws -> [String: Value] {
        let attributes = DeclaredAttributes(type: Kind.file.rawValue, values: desired)
        try writeFile(at: id, attributes: attributes, context: context)
        guard let observed = try observeFile(at: id, prior: desired) else {
            throw ProviderError(.failed, "local_file \(id) vanished right after it was written")
        }
        return observed
    }

    func deleteFile(at id: String) throws {
        sweeper.sweepOnce(LocalPath.parent(of: id))
        guard let status = try FileSystem.status(at: id), status.kind != .directory else { return }
        try FileSystem.removeFile(id)
    }

    /// Brings the file at `id` to the desired bytes, mode, owner and group. Content is rewritten
    /// atomically only when it differs; otherwise mode and ownership are set in place.
    private func writeFile(at id: String, attributes: DeclaredAttributes, context: ProviderContext) throws {
        guard let bytes = try fileBytes(attributes, context: context).known else {
            throw ProviderError(.invalidInput, "local_file \(id): content is not known yet")
        }
        guard let mode = try attributes.mode(default: Self.defaultFileMode) else {
            throw ProviderError(.invalidInput, "local_file \(id): mode is not known yet")
        }
        let owner = try attributes.string("owner").known.map { try Accounts.userID(named: $0) }
        let group = try attributes.string("group").known.map { try Accounts.groupID(named: $0) }
        let status = try FileSystem.status(at: id)
        if status?.kind == .directory {
            throw ProviderError(.conflict, "local_file \(id): a directory is in the way")
        }
        if status?.kind == .regular, try FileSystem.readFile(at: id) == bytes {
            try FileSystem.setMode(mode, of: id)
            try FileSystem.setOwner(owner, group: group, of: id)
            return
        }
        try FileSystem.makeDirectories(LocalPath.parent(of: id))
        sweeper.sweepOnce(LocalPath.parent(of: id))
        try FileSystem.writeAtomically(bytes, to: id, mode: mode, owner: owner, group: group,
                                       durable: Self.isDurable(context))
    }

    /// The recorded digest and size, when the declared text is byte for byte the recorded text and the record
    /// holds a well-formed digest; nil otherwise (a source file is always read again).
    static func recordedDigest(_ attributes: DeclaredAttributes, prior: [String: Value]) throws -> (String, Number)? {
        let key = try contentKey(attributes)
        guard key != "source", case let .value(text) = try attributes.string(key), let recorded = prior[key]?.stringValue,
              let digest = prior["sha256"]?.stringValue, SHA256Digest.isHex(digest),
              let size = prior["size"]?.numberValue, size == Number(text.utf8.count), sameBytes(text, recorded)
        else { return nil }
        return (digest, size)
    }

    /// Which one of content, source or sensitive_content is set; an error unless exactly one is.
    static func contentKey(_ attributes: DeclaredAttributes) throws -> String {
        let set = contentKeys.filter { attributes.isSet($0) }
        guard set.count == 1, let key = set.first else {
            let found = set.isEmpty ? "none" : set.joined(separator: " and ")
            throw ProviderError(.invalidInput, "local_file: set exactly one of content, source or sensitive_content (found \(found))")
        }
        return key
    }

    /// The bytes the file should hold, from whichever of content, source or sensitive_content is set.
    private func fileBytes(_ attributes: DeclaredAttributes, context: ProviderContext) throws -> Declared<[UInt8]> {
        let key = try Self.contentKey(attributes)
        switch try attributes.string(key) {
        case .absent, .unknown:
            return .unknown
        case let .value(text) where key != "source":
            return .value(Array(text.utf8))
        case let .value(source):
            let path = try LocalPath.resolve(source, against: context.baseDirectory)
            guard !FileSystem.isDirectory(path), let bytes = try FileSystem.readFile(at: path) else {
                throw ProviderError(.invalidInput, "local_file: source \(path) does not exist or is not a file")
            }
            return .value(bytes)
        }
    }

    /// Whether two strings have exactly the same UTF-8 (Swift's `==` also equates canonically equivalent texts).
    static func sameBytes(_ left: String, _ right: String) -> Bool {
        var right = right
        return right.withUTF8 { utf8 in hasBytes(left, utf8) }
    }

    /// Whether a string's UTF-8 is exactly these bytes (memcmp, not element by element).
    static func hasBytes(_ text: String, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { hasBytes(text, $0) }
    }

    static func hasBytes(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8.count == bytes.count else { return false }
            guard let left = utf8.baseAddress, let right = bytes.baseAddress else { return utf8.count == 0 }
            return left == right || memcmp(left, right, utf8.count) == 0
        }
    }
}
