import Foundation
import TendModel

extension ConfigLoader {
    static let manifestExtensions = ["yaml", "yml", "json"]

    /// `directory/file` as the user wrote the directory, without a leading "./".
    static func displayPath(directory: String, file: String) -> String {
        var base = directory
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        var path = base.isEmpty || base == "." ? file : (base == "/" ? "/" + file : base + "/" + file)
        while path.hasPrefix("./") { path.removeFirst(2) }
        return path
    }

    /// The manifest file names directly in `directory`, sorted.
    func manifestFiles(in directory: String, diagnostics: inout DiagnosticList) -> [String] {
        let fileManager = FileManager.default
        let path = directory.isEmpty ? "." : directory
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: path)
        } catch {
            diagnostics.error("cannot read configuration directory \"\(directory)\": \(error.localizedDescription)", at: nil)
            return []
        }
        let files = names.filter { name in
            guard ConfigLoader.manifestExtensions.contains((name as NSString).pathExtension.lowercased()),
                  !name.hasPrefix(".") else { return false }
            var isDirectory: ObjCBool = false
            let full = (path as NSString).appendingPathComponent(name)
            return fileManager.fileExists(atPath: full, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
        if files.isEmpty {
            diagnostics.error("no manifests (*.yaml, *.yml, *.json) in \"\(directory)\"", at: nil)
        }
        return files
    }

    /// Reads and parses one file; nil when it cannot be read or parsed (reported).
    func read(_ fullPath: String, shownAs path: String, sources: inout [String: String],
              diagnostics: inout DiagnosticList) -> ManifestNode? {
        guard let data = FileManager.default.contents(atPath: fullPath) else {
            diagnostics.error("cannot read \"\(path)\"", at: nil)
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.error("\"\(path)\" is not UTF-8 text", at: nil)
            return nil
        }
        sources[path] = text
        switch ManifestParser(file: path, text: text).parse() {
        case let .success(root):
            return root ?? .scalar(ManifestNode.Scalar(text: "", kind: .null, isPlain: true,
                                                        location: SourceLocation(file: path, line: 1, column: 1)))
        case let .failure(failure):
            diagnostics.append(failure.diagnostic)
            return nil
        }
    }
}
