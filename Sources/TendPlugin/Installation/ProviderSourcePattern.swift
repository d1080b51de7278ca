/// A pattern of provider sources in a CLI configuration's `include` or `exclude`: `registry.terraform.io/hashicorp/*`,
/// `hashicorp/aws`, `*/*`. Each part is a name or `*`; parts left out default as in `ProviderSource`, and a `*`
/// namespace needs a `*` type.
public struct ProviderSourcePattern: Sendable, Hashable, CustomStringConvertible {
    /// The host, or `*` for any.
    public var host: String
    /// The namespace, or `*` for any.
    public var namespace: String
    /// The type, or `*` for any.
    public var type: String

    /// Parses a pattern; throws `.invalidSource` naming what is wrong.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { String($0).lowercased() }
        guard (1...3).contains(parts.count) else {
            throw ProviderInstallationError(.invalidSource,
                "invalid provider pattern \"\(text)\": expected TYPE, NAMESPACE/TYPE or HOST/NAMESPACE/TYPE")
        }
        host = parts.count == 3 ? parts[0] : ProviderSource.defaultHost
        namespace = parts.count >= 2 ? parts[parts.count - 2] : ProviderSource.defaultNamespace
        type = parts[parts.count - 1]
        if namespace == "*" && type != "*" {
            throw ProviderInstallationError(.invalidSource,
                "invalid provider pattern \"\(text)\": a \"*\" namespace needs a \"*\" type")
        }
        let problem = Self.problem(host: host, namespace: namespace, type: type)
        if let problem {
            throw ProviderInstallationError(.invalidSource, "invalid provider pattern \"\(text)\": \(problem)")
        }
    }

    /// What is wrong with the parts that are not `*`, or nil.
    private static func problem(host: String, namespace: String, type: String) -> String? {
        if host != "*", let problem = ProviderSource.hostProblem(host) { return "host \(problem)" }
        if namespace != "*", let problem = ProviderSource.nameProblem(namespace) { return "namespace \(problem)" }
        if type != "*", let problem = ProviderSource.nameProblem(type) { return "type \(problem)" }
        return nil
    }

    /// Whether `source` is one the pattern names.
    public func matches(_ source: ProviderSource) -> Bool {
        (host == "*" || host == source.host) && (namespace == "*" || namespace == source.namespace)
            && (type == "*" || type == source.type)
    }

    /// `HOST/NAMESPACE/TYPE` with `*` where any is allowed.
    public var description: String { "\(host)/\(namespace)/\(type)" }
}
