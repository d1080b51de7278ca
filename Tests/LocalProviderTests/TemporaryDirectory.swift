import Foundation
import ProviderKit

/// Runs `body` with a fresh temporary directory (its real path) that is removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tend-local-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let path = root.resolvingSymlinksInPath().path
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// A context whose base directory is `directory`.
func context(_ directory: String) -> ProviderContext {
    ProviderContext(baseDirectory: directory, stack: "test")
}

/// The permission bits of `path` as 4-digit octal.
func mode(of path: String) throws -> String {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    let bits = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    let digits = String(bits, radix: 8)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// Writes text to a file, creating it.
func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// Reads a file as text.
func read(_ path: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
}
