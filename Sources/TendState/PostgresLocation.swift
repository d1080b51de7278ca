import Foundation

/// Where a PostgreSQL state lives, parsed from `postgres://USER:PASSWORD@HOST:PORT/DATABASE?stack=NAME&schema=NAME`.
///
/// tend's own query parameters are `stack` (the stack key: which stack of the schema this state is; see
/// `PostgresStateStore`), `schema` (the PostgreSQL schema holding tend's tables, default `tend`) and `lease` (how many
/// seconds the state lock lasts without renewal, default 60). Every other query parameter (`sslmode`,
/// `connect_timeout`, `application_name`, …) is handed to libpq as a connection keyword.
///
/// The password is kept apart and never shown: `description` and every message use `redacted`, which leaves it out.
/// Without a password in the URL, libpq finds one the usual ways (`PGPASSWORD`, the password file).
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// The host name, address or socket directory; nil for libpq's default.
    public var host: String?
    /// The port; nil for libpq's default (`PGPORT`, else 5432).
    public var port: Int?
    public var database: String?
    public var user: String?
    /// Never printed.
    var password: String?
    /// The `stack` parameter, when given.
    public var stack: String?
    /// The PostgreSQL schema holding tend's tables.
    public var schema: String
    /// The `lease` parameter: seconds the state lock lasts without renewal, when given.
    public var leaseSeconds: Double?
    /// Other libpq connection keywords from the query.
    public var options: [String: String]

    /// The schema tend uses when the URL names none.
    public static let defaultSchema = "tend"

    /// Whether `text` is a PostgreSQL URL (`postgres://` or `postgresql://`) rather than a file path.
    public static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` or `postgresql://` URL; the error never contains the password.
    public init(parsing text: String) throws {
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw StateError(.invalidLocation, "the state URL \(Self.redact(text)) is not a valid PostgreSQL URL: write "
                + "postgres://USER@HOST:PORT/DATABASE?stack=NAME (the password in PGPASSWORD or the URL)")
        }
        host = components.host.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding ?? $0 }
        port = components.port
        if let port, !(1...65535).contains(port) {
            throw StateError(.invalidLocation, "the state URL \(Self.redact(text)) names port \(port), outside 1-65535")
        }
        let path = components.percentEncodedPath.hasPrefix("/") ? String(components.percentEncodedPath.dropFirst())
            : components.percentEncodedPath
        database = path.isEmpty ? nil : path.removingPercentEncoding ?? path
        user = components.percentEncodedUser.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding ?? $0 }
        password = components.percentEncodedPassword.map { $0.removingPercentEncoding ?? $0 }
        schema = Self.defaultSchema
        options = [:]
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "stack":
                guard !value.isEmpty else {
                    throw StateError(.invalidLocation, "the state URL \(Self.redact(text)) has an empty stack parameter")
                }
                stack = value
            case "schema":
                guard Self.isPlainIdentifier(value) else {
                    throw StateError(.invalidLocation, "the state URL \(Self.redact(text)) names schema \"\(value)\": "
                        + "use lower-case letters, digits and underscores, starting with a letter or underscore")
                }
                schema = value
            case "lease":
                guard let seconds = Double(value), seconds >= 1, seconds <= 86_400 else {
                    throw StateError(.invalidLocation, "the state URL \(Self.redact(text)) has lease \"\(value)\": give "
                        + "the seconds the state lock lasts without renewal, 1 to 86400")
                }
                leaseSeconds = seconds
            case "password":
                password = value
            case "host": host = value
            case "port":
                guard let number = Int(value), (1...65535).contains(number) else {
                    throw StateError(.invalidLocation, "the state URL \(Self.redact(text)) has port \"\(value)\"")
                }
                port = number
            case "dbname": database = value
            case "user": user = value
            default: options[item.name] = value
            }
        }
    }

    /// `host:port` as messages name the server.
    public var endpoint: String {
        "\(host ?? "localhost"):\(port.map(String.init) ?? "5432")"
    }

    /// The URL without the password: safe to print.
    public var redacted: String {
        var text = "postgres://"
        if let user { text += "\(user)@" }
        text += endpoint
        if let database { text += "/\(database)" }
        var query: [String] = []
        if let stack { query.append("stack=\(stack)") }
        if schema != Self.defaultSchema { query.append("schema=\(schema)") }
        if let leaseSeconds { query.append("lease=\(leaseSeconds)") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    public var description: String { redacted }

    /// The libpq connection keywords and values (the password among them, when the URL had one).
    var connectionKeywords: [(String, String)] {
        var pairs: [(String, String)] = []
        if let host { pairs.append(("host", host)) }
        if let port { pairs.append(("port", String(port))) }
        if let database { pairs.append(("dbname", database)) }
        if let user { pairs.append(("user", user)) }
        if let password { pairs.append(("password", password)) }
        if options["connect_timeout"] == nil { pairs.append(("connect_timeout", "10")) }
        if options["application_name"] == nil { pairs.append(("application_name", "tend")) }
        for key in options.keys.sorted() { pairs.append((key, options[key] ?? "")) }
        return pairs
    }

    /// Removes `password` wherever it appears in `text` (a server or library message), so no message carries it.
    func scrub(_ text: String) -> String {
        var scrubbed = text
        for secret in [password, ProcessInfo.processInfo.environment["PGPASSWORD"]] {
            guard let secret, !secret.isEmpty else { continue }
            scrubbed = scrubbed.replacingOccurrences(of: secret, with: "***")
        }
        return scrubbed
    }

    /// A URL with its user-information password removed, for messages about a URL that did not parse.
    static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return stripPasswordParameter(text) }
        let userInfo = authority[..<at]
        let user = userInfo.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return stripPasswordParameter(String(text[..<scheme.upperBound]) + user + String(rest[at...]))
    }

    private static func stripPasswordParameter(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.queryItems?.contains(where: { $0.name == "password" }) == true
        else { return text.contains("password=") ? "(a state URL)" : text }
        components.queryItems = components.queryItems?.filter { $0.name != "password" }
        return components.string ?? "(a state URL)"
    }

    /// Whether `name` can be used as a schema name without quoting problems: `[a-z_][a-z0-9_]*`, up to 63 bytes.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
        let lower = UInt8(ascii: "a")...UInt8(ascii: "z")
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        let underscore = UInt8(ascii: "_")
        guard lower.contains(first) || first == underscore else { return false }
        return name.utf8.allSatisfy { lower.contains($0) || digits.contains($0) || $0 == underscore }
    }
}
