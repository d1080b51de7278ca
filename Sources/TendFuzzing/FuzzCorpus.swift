import Foundation

/// Seed inputs and saved crashers, read from the package's fixtures.
public enum FuzzCorpus {
    /// The contents of every regular file under `directory` whose name ends in one of `extensions` (all files when
    /// empty), sorted by path; nothing when the directory is missing.
    public static func files(under directory: URL, extensions: [String] = []) -> [[UInt8]] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        var paths: [String] = []
        for case let url as URL in walker where extensions.isEmpty || extensions.contains(url.pathExtension.lowercased()) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(url.path)
            }
        }
        return paths.sorted().compactMap { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } }
    }

    /// The saved inputs of one target: `fixtures/fuzz/<target>/` under the package root.
    public static func regressions(target: String, packageRoot: URL) -> [(name: String, bytes: [UInt8])] {
        let directory = packageRoot.appendingPathComponent("fixtures/fuzz/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] // none saved yet
        return names.sorted().compactMap { name in
            FileManager.default.contents(atPath: directory.appendingPathComponent(name).path).map { (name, [UInt8]($0)) }
        }
    }
}
