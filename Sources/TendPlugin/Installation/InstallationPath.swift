/// Path arithmetic on strings, without touching the file system.
enum InstallationPath {
    /// `base/component`, with one slash between.
    static func join(_ base: String, _ components: String...) -> String {
        var path = base
        for component in components where !component.isEmpty {
            if path.isEmpty || path.hasSuffix("/") { path += component } else { path += "/" + component }
        }
        return path
    }

    /// `path` if absolute, else `path` under `directory`; a trailing slash is dropped (but `/` stays).
    static func absolute(_ path: String, from directory: String) -> String {
        var result = path.hasPrefix("/") ? path : join(directory, path)
        while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
        return result
    }

    /// The directory holding `path`: `/a/b` for `/a/b/c`, `/` for `/a`, `.` for a bare name.
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
