import Foundation

/// A state file's bytes and mode, and the names of the files beside it: equal snapshots taken before and after a
/// command prove the command left the file alone and created nothing next to it (no `-wal`, no `-shm`).
public struct StateFileSnapshot: Equatable, Sendable, CustomStringConvertible {
    public var bytes: Data
    public var mode: Int
    /// Everything in the file's directory, sorted.
    public var directoryListing: [String]

    /// Takes a snapshot of the file at `path`.
    public init(path: String) throws {
        bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var info = stat()
        mode = stat(path, &info) == 0 ? Int(info.st_mode & 0o777) : -1
        let directory = (path as NSString).deletingLastPathComponent
        directoryListing = (try FileManager.default.contentsOfDirectory(atPath: directory)).sorted()
    }

    public var description: String {
        "\(bytes.count) bytes, mode \(String(mode, radix: 8)), beside: \(directoryListing.joined(separator: ", "))"
    }
}
