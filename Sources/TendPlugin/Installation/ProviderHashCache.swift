import Foundation

/// Remembers the SHA-256 of provider binaries by what `stat` says about them, so a warm start need not read a
/// 700 MB binary again.
///
/// This is what "the binary is checked on every run" means: every lookup stats the file, and the stored digest is
/// used only when the absolute path, size, modification time (ns), change time (ns), inode and device are all
/// unchanged; any difference, and any file not seen before, is hashed in full. Replacing, rewriting, touching or
/// `chmod`ing the binary changes its change time and so forces a new hash. A digest is stored only when the file's
/// status was the same before and after hashing, so a file written during the hash is hashed again next time.
///
/// Kept in a small JSON file (for example `.tend/provider-hashes.json`); a missing or unreadable cache file is an
/// empty cache. Paths should be absolute: the cache does not know the working directory.
public struct ProviderHashCache: Sendable {
    /// What a stored digest was computed from.
    struct Record: Sendable, Hashable, Codable {
        var size: Int64
        var modifiedNanoseconds: Int64
        var changedNanoseconds: Int64
        var inode: UInt64
        var device: UInt64
        var sha256: String

        enum CodingKeys: String, CodingKey {
            case size, inode, device, sha256
            case modifiedNanoseconds = "mtime_ns"
            case changedNanoseconds = "ctime_ns"
        }

        init(_ status: InstallationFileStatus, sha256: String) {
            size = status.size
            modifiedNanoseconds = status.modifiedNanoseconds
            changedNanoseconds = status.changedNanoseconds
            inode = status.inode
            device = status.device
            self.sha256 = sha256
        }

        func isCurrent(for status: InstallationFileStatus) -> Bool {
            self == Record(status, sha256: sha256)
        }
    }

    private struct Document: Codable {
        var formatVersion: Int
        var files: [String: Record]

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version"
            case files
        }
    }

    /// The cache file.
    public let path: String
    private let hasher: @Sendable (String) throws -> String
    private var records: [String: Record]
    private var hasChanges = false

    /// A cache kept at `path`, loaded now; `hasher` computes a hex digest when the cache cannot answer.
    public init(path: String, hasher: @escaping @Sendable (String) throws -> String = SHA256FileHasher.hexDigest) {
        self.path = path
        self.hasher = hasher
        let bytes = (try? InstallationFileSystem.readFile(at: path)) ?? nil   // a cache: unreadable means empty
        let document = bytes.flatMap { try? JSONDecoder().decode(Document.self, from: Data($0)) }   // damaged: rebuilt
        records = document?.formatVersion == 1 ? document?.files ?? [:] : [:]
    }

    /// The SHA-256 hex digest of the file at `path`: the stored one when the file's status is unchanged, else a
    /// fresh one (remembered for next time). Throws `.io` when the file cannot be read.
    public mutating func hexDigest(ofFileAt path: String) throws -> String {
        guard let before = InstallationFileSystem.status(at: path) else {
            throw ProviderInstallationError(.io, "cannot hash \(path): it does not exist")
        }
        if let record = records[path], record.isCurrent(for: before) { return record.sha256 }
        let digest = try hasher(path)
        if let after = InstallationFileSystem.status(at: path), after == before {
            records[path] = Record(after, sha256: digest)
        } else {
            records[path] = nil
        }
        hasChanges = true
        return digest
    }

    /// Writes the cache when it changed, atomically, creating its directory; entries of files that are gone are
    /// dropped.
    public mutating func save() throws {
        guard hasChanges else { return }
        records = records.filter { InstallationFileSystem.status(at: $0.key) != nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(formatVersion: 1, files: records))
        try InstallationFileSystem.makeDirectories(InstallationPath.parent(of: path))
        try InstallationFileSystem.writeAtomically(Array(data) + [0x0a], to: path)
        hasChanges = false
    }
}
