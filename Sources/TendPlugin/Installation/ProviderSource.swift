/// Where a Terraform provider comes from: `HOST/NAMESPACE/TYPE`, as in `registry.terraform.io/hashicorp/aws`.
///
/// Parsed from the short forms Terraform accepts: `aws` (namespace `hashicorp`), `hashicorp/aws` (host
/// `registry.terraform.io`) and the full address. All parts are lowercased.
public struct ProviderSource: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The registry host that names the provider, `registry.terraform.io` by default.
    public var host: String
    /// The organisation, `hashicorp` by default.
    public var namespace: String
    /// The provider's type name, the prefix of its resource types: `aws`.
    public var type: String

    /// The host a source without one belongs to.
    public static let defaultHost = "registry.terraform.io"
    /// The namespace a bare type belongs to.
    public static let defaultNamespace = "hashicorp"

    /// Creates a source from parts already known to be valid.
    public init(host: String = ProviderSource.defaultHost, namespace: String = ProviderSource.defaultNamespace,
                type: String) {
        self.host = host.lowercased()
        self.namespace = namespace.lowercased()
        self.type = type.lowercased()
    }

    /// Parses `TYPE`, `NAMESPACE/TYPE` or `HOST/NAMESPACE/TYPE`; throws `.invalidSource` saying which part is wrong.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { String($0).lowercased() }
        guard (1...3).contains(parts.count) else {
            throw ProviderInstallationError(.invalidSource,
                "invalid provider source \"\(text)\": expected TYPE, NAMESPACE/TYPE or HOST/NAMESPACE/TYPE")
        }
        let host = parts.count == 3 ? parts[0] : Self.defaultHost
        let namespace = parts.count >= 2 ? parts[parts.count - 2] : Self.defaultNamespace
        let type = parts[parts.count - 1]
        if let problem = Self.hostProblem(host) {
            throw ProviderInstallationError(.invalidSource, "invalid provider source \"\(text)\": host \(problem)")
        }
        if let problem = Self.nameProblem(namespace) {
            throw ProviderInstallationError(.invalidSource, "invalid provider source \"\(text)\": namespace \(problem)")
        }
        if let problem = Self.nameProblem(type) {
            throw ProviderInstallationError(.invalidSource, "invalid provider source \"\(text)\": type \(problem)")
        }
        self.init(host: host, namespace: namespace, type: type)
    }

    /// `HOST/NAMESPACE/TYPE`.
    public var description: String { "\(host)/\(namespace)/\(type)" }

    /// The executable's name without version or protocol suffix: `terraform-provider-aws`.
    public var executablePrefix: String { "terraform-provider-\(type)" }

    public static func < (lhs: ProviderSource, rhs: ProviderSource) -> Bool {
        lhs.description < rhs.description
    }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Why `name` cannot be a namespace or type (letters, digits and dashes, not starting or ending with a dash),
    /// or nil when it can.
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.utf8.count > 64 { return "\"\(name)\" is longer than 64 characters" }
        if name.first == "-" || name.last == "-" { return "\"\(name)\" starts or ends with a dash" }
        if let bad = name.unicodeScalars.first(where: { !isNameScalar($0) }) {
            return "\"\(name)\" contains \"\(bad)\"; only letters, digits and dashes are allowed"
        }
        return nil
    }

    /// Why `host` cannot be a registry host name (dot-separated labels, an optional `:PORT`), or nil when it can.
    static func hostProblem(_ host: String) -> String? {
        if host.isEmpty { return "is empty" }
        var name = Substring(host)
        if let colon = host.lastIndex(of: ":") {
            let port = host[host.index(after: colon)...]
            guard let number = Int(port), (1...65535).contains(number) else { return "\"\(host)\" has a bad port" }
            name = host[..<colon]
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            if label.isEmpty || label.first == "-" || label.last == "-"
                || !label.unicodeScalars.allSatisfy(isNameScalar) {
                return "\"\(host)\" is not a host name"
            }
        }
        return nil
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
    }
}
