import ProviderKit

/// Resolves paths the user declared into the absolute, standardized paths used as object ids.
enum LocalPath {
    /// Resolves `declared` against `base` when relative, then removes `.`, `..` and repeated slashes.
    ///
    /// The result is lexical: symbolic links are not followed, so a `local_symlink` keeps its own path.
    static func resolve(_ declared: String, against base: String) throws -> String {
        guard !declared.isEmpty else {
            throw ProviderError(.invalidInput, "path must not be empty")
        }
        let joined = declared.hasPrefix("/") ? declared : base + "/" + declared
        guard joined.hasPrefix("/") else {
            throw ProviderError(.invalidInput, "cannot resolve relative path \"\(declared)\": base directory \"\(base)\" is not absolute")
        }
        return standardize(joined)
    }

    /// Removes `.`, `..` and repeated slashes from an absolute path.
    static func standardize(_ path: String) -> String {
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(component)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The directory holding `path` (`/a/b` → `/a`, `/a` → `/`).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = path[..<slash]
        return head.isEmpty ? "/" : String(head)
    }

    /// The last component of `path`.
    static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
