import Foundation
import TendModel

extension IgnoreRules {
    /// What reading a configuration's `.tendignore` gave.
    public struct Loaded: Sendable {
        /// The rules; none when the file is missing, unreadable or has errors.
        public var rules: IgnoreRules
        /// Malformed lines, or one error naming the file when it exists but cannot be read.
        public var diagnostics: [Diagnostic]
        /// The file's text by its shown path, for rendering diagnostics with the line; empty when not read.
        public var sources: [String: String]
    }

    /// Reads `.tendignore` in `directory`. A missing file means no rules; one that exists but cannot be read (no
    /// permission, not UTF-8, a directory) is an error naming it, never silently no rules.
    /// - Parameter shownAs: the path diagnostics name the file by.
    public static func load(directory: String, shownAs: String) -> Loaded {
        let path = (directory as NSString).appendingPathComponent(".tendignore")
        guard FileManager.default.fileExists(atPath: path) else {
            return Loaded(rules: IgnoreRules(), diagnostics: [], sources: [:])
        }
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let decoded = String(data: data, encoding: .utf8) else {
                return unreadable(shownAs, because: "it is not UTF-8 text")
            }
            text = decoded
        } catch {
            return unreadable(shownAs, because: Self.reason(error))
        }
        let (rules, diagnostics) = parse(text, file: shownAs)
        return Loaded(rules: diagnostics.hasErrors ? IgnoreRules() : rules, diagnostics: diagnostics, sources: [shownAs: text])
    }

    private static func unreadable(_ shownAs: String, because reason: String) -> Loaded {
        let diagnostic = Diagnostic(.error, "cannot read \(shownAs): \(reason)",
                                    detail: "Fix or remove the file; drift is not checked without its rules.")
        return Loaded(rules: IgnoreRules(), diagnostics: [diagnostic], sources: [:])
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case CocoaError.fileReadNoPermission: return "permission denied"
        default: return error.localizedDescription
        }
    }
}
