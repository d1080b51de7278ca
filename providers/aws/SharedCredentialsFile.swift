/// The INI text of `~/.aws/credentials`: `[profile]` sections of `key = value` lines.
struct SharedCredentialsFile: Sendable, Hashable {
    /// Keys (lowercased) and values by section name.
    let sections: [String: [String: String]]

    /// Parses INI text; comment lines start with `#` or `;`, lines before any section are ignored.
    init(parsing text: String) {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.trimmingCharacters
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = String(line.dropFirst().dropLast()).trimmingCharacters
                current = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingCharacters.lowercased()
            let value = String(line[line.index(after: equals)...]).trimmingCharacters
            sections[section, default: [:]][key] = value
        }
        self.sections = sections
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    var trimmingCharacters: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
