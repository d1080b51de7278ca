/// One way of installing providers from a CLI configuration's `provider_installation` block, with the sources it
/// is for.
public struct ProviderInstallationMethod: Sendable, Hashable {
    /// Where the method gets providers.
    public enum Kind: Sendable, Hashable {
        /// `filesystem_mirror { path = "…" }`: a local directory in the mirror layout.
        case filesystemMirror(path: String)
        /// `network_mirror { url = "…" }`: an HTTPS mirror; tend, being offline, does not use it.
        case networkMirror(url: String)
        /// `direct { }`: the origin registry; tend, being offline, does not use it.
        case direct
    }

    /// Where the method gets providers.
    public var kind: Kind
    /// The sources the method is for; empty means all.
    public var include: [ProviderSourcePattern]
    /// The sources the method is not for, even when included.
    public var exclude: [ProviderSourcePattern]
    /// The line of the configuration file the method's block opens on.
    public var line: Int

    /// Creates a method.
    public init(kind: Kind, include: [ProviderSourcePattern] = [], exclude: [ProviderSourcePattern] = [],
                line: Int = 0) {
        self.kind = kind
        self.include = include
        self.exclude = exclude
        self.line = line
    }

    /// Whether the method is for `source`: included (or no `include`) and not excluded.
    public func admits(_ source: ProviderSource) -> Bool {
        (include.isEmpty || include.contains { $0.matches(source) }) && !exclude.contains { $0.matches(source) }
    }
}
