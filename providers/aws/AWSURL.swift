/// The parts of an absolute URL SigV4 needs, split without re-encoding anything.
struct AWSURL: Sendable, Hashable {
    /// `http` or `https`, lowercased.
    var scheme: String
    /// The host, lowercased; an IPv6 literal keeps its brackets.
    var host: String
    /// The explicit port, when there is one.
    var port: Int?
    /// The path as written (percent-encoded); empty when the URL has none.
    var path: String
    /// The query after `?`, as written; empty when there is none.
    var query: String

    /// Splits `text`; nil when it is not `scheme://host…`.
    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        scheme = text[..<schemeEnd.lowerBound].lowercased()
        var rest = text[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let afterAuthority = rest[authorityEnd...]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if let question = afterAuthority.firstIndex(of: "?") {
            path = String(afterAuthority[..<question])
            query = String(afterAuthority[afterAuthority.index(after: question)...])
        } else {
            path = String(afterAuthority)
            query = ""
        }
        let portSeparator = authority.lastIndex(of: ":").flatMap { colon in
            authority[colon...].contains("]") ? nil : colon
        }
        if let colon = portSeparator {
            guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = number
            host = authority[..<colon].lowercased()
        } else {
            port = nil
            host = authority.lowercased()
        }
        guard !host.isEmpty else { return nil }
    }

    /// The Host header value: host, plus the port unless it is the scheme's default.
    var hostHeader: String {
        guard let port else { return host }
        let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        return port == defaultPort ? host : "\(host):\(port)"
    }
}
