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

    /// Reads and parses one file; nil when it cannot be read or parsed, or is over a size limit (reported).
    /// `totalBytes` counts the bytes of every file read so far.
    func read(_ fullPath: String, shownAs path: String, sources: inout [String: String], totalBytes: inout Int,
              diagnostics: inout DiagnosticList) -> ManifestNode? {
        let start = SourceLocation(file: path, line: 1, column: 1)
        if let size = ConfigLoader.fileSize(fullPath), size > limits.maximumFileBytes {
            diagnostics.error("\(path) is \(size) bytes, larger than the limit of "
                + ManifestLimits.describe(bytes: limits.maximumFileBytes) + " for one manifest file", at: start)
            return nil
        }
        guard let data = FileManager.default.contents(atPath: fullPath) else {
            diagnostics.error("cannot read \"\(path)\"", at: nil)
            return nil
        }
        guard data.count <= limits.maximumFileBytes else {
            diagnostics.error("\(path) is \(data.count) bytes, larger than the limit of "
                + ManifestLimits.describe(bytes: limits.maximumFileBytes) + " for one manifest file", at: start)
            return nil
        }
        totalBytes += data.count
        guard totalBytes <= limits.maximumTotalBytes else {
            diagnostics.error("with \(path) the configuration's files come to \(totalBytes) bytes, more than the limit of "
                + ManifestLimits.describe(bytes: limits.maximumTotalBytes) + " for all files together", at: start)
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.error("\"\(path)\" is not UTF-8 text", at: nil)
            return nil
        }
        sources[path] = text
        return parse(text, shownAs: path, diagnostics: &diagnostics)
    }

    /// Parses one file's text; nil when it is malformed or over a limit (reported).
    func parse(_ text: String, shownAs path: String, diagnostics: inout DiagnosticList) -> ManifestNode? {
        switch ManifestParser(file: path, text: text, limits: limits).parse() {
        case let .success(root):
            return root ?? .scalar(ManifestNode.Scalar(text: "", kind: .null, isPlain: true,
                                                        location: SourceLocation(file: path, line: 1, column: 1)))
        case let .failure(failure):
            diagnostics.append(failure.diagnostic)
            return nil
        }
    }

    /// The size of a file from its attributes, so one over the limit is refused without being read; nil if unknown.
    static func fileSize(_ path: String) -> Int? {
        // A file whose size cannot be read is measured after reading instead.
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }
}
