#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
@testable import TendPlugin

/// A temporary directory for installation tests, removed when the last copy goes away, with helpers to lay out
/// fake provider binaries.
final class InstallationSandbox {
    let path: String

    init() throws {
        var base = NSTemporaryDirectory()
        while base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/tend-install-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: made)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/relative`.
    func file(_ relative: String) -> String { path + "/" + relative }

    /// Writes `text` at `relative`, making parent directories; returns the absolute path.
    @discardableResult
    func write(_ text: String, to relative: String, mode: Int = 0o644) throws -> String {
        let target = file(relative)
        let parent = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        chmod(target, mode_t(mode))
        return target
    }

    /// Makes the directory `relative` and its parents; returns the absolute path.
    @discardableResult
    func makeDirectory(_ relative: String) throws -> String {
        try FileManager.default.createDirectory(atPath: file(relative), withIntermediateDirectories: true)
        return file(relative)
    }

    /// A fake provider binary in the unpacked layout under `mirror`:
    /// `mirror/HOST/NAMESPACE/TYPE/VERSION/PLATFORM/NAME`, executable unless told otherwise.
    @discardableResult
    func installProvider(_ source: String = "hashicorp/aws", version: String, in mirror: String = "mirror",
                         platform: String = ProviderPlatform.current.description, name: String? = nil,
                         executable: Bool = true, content: String = "#!/bin/sh\n") throws -> String {
        let parsed = try ProviderSource(parsing: source)
        let fileName = name ?? "terraform-provider-\(parsed.type)_v\(version)_x5"
        let relative = "\(mirror)/\(parsed.host)/\(parsed.namespace)/\(parsed.type)/\(version)/\(platform)/\(fileName)"
        return try write(content, to: relative, mode: executable ? 0o755 : 0o644)
    }
}
