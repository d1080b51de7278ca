import Foundation
import TendConfig
import TendModel

/// The schemas the tests and fixtures load against.
enum TestCatalog {
    static let catalog = SchemaCatalog([
        ResourceSchema(type: "local_file", attributes: [
            "path": AttributeSchema(.string, .required, forceNew: true),
            "content": AttributeSchema(.string, .optional),
            "mode": AttributeSchema(.string, .optional, default: .string("0644"), normalisation: .fileMode),
            "sha256": AttributeSchema(.string, .computed),
            "size": AttributeSchema(.number, .computed),
        ]),
        ResourceSchema(type: "local_directory", attributes: [
            "path": AttributeSchema(.string, .required, forceNew: true),
            "mode": AttributeSchema(.string, .optional, default: .string("0755")),
        ]),
        ResourceSchema(type: "local_symlink", attributes: [
            "path": AttributeSchema(.string, .required, forceNew: true),
            "target": AttributeSchema(.string, .required),
        ]),
        ResourceSchema(type: "test_thing", attributes: [
            "name": AttributeSchema(.string, .optional),
            "tags": AttributeSchema(.map(.string), .optional),
            "ports": AttributeSchema(.list(.number), .optional),
            "enabled": AttributeSchema(.bool, .optional),
            "id": AttributeSchema(.string, .computed),
        ]),
    ])

    static var loader: ConfigLoader { ConfigLoader(catalog: catalog) }
}

/// A temporary directory of manifest files, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(files: [String: String]) throws {
        path = (FileManager.default.temporaryDirectory.path as NSString)
            .appendingPathComponent("tend-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: (path as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Loads the directory with the test catalog.
    func load(variables: [String: String] = [:], varFiles: [String] = [], environment: [String: String] = [:]) -> LoadResult {
        TestCatalog.loader.load(directory: path, variables: variables, varFiles: varFiles, environment: environment)
    }
}

extension LoadResult {
    /// Headlines with the directory prefix removed, wherever a path appears.
    func headlines(relativeTo directory: String) -> [String] {
        diagnostics.map { $0.headline.replacingOccurrences(of: directory + "/", with: "") }
    }
}
