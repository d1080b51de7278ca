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
        if isStandard(path) { return path }
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

    /// Whether an absolute path has no empty, `.` or `..` component and no trailing slash (one scan, no copies).
    static func isStandard(_ path: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var utf8 = path.utf8.makeIterator()
        guard utf8.next() == slash else { return false }
        // The current component's length, and whether it is all dots so far.
        var length = 0
        var dots = true
        var count = 1
        while let byte = utf8.next() {
            count += 1
            if byte == slash {
                if length == 0 || (dots && length <= 2) { return false }
                length = 0
                dots = true
            } else {
                length += 1
                dots = dots && byte == dot
            }
        }
        return count == 1 || !(length == 0 || (dots && length <= 2))
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
