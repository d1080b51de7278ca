/// What an operator asked of a plan beyond the configuration: which resources it covers (`--target`, `--exclude`),
/// which objects it replaces although nothing changed (`--replace`), and whether it reads providers first
/// (`--refresh=false` does not). Addresses are kept as given, so a saved plan says what it was made with.
public struct PlanRequest: Sendable, Hashable, Codable {
    /// `--target`: only these resources and what they need (in a destroy plan: what needs them).
    public var targets: [String]
    /// `--exclude`: everything but these resources and what needs them (in a destroy plan: what they need).
    public var excludes: [String]
    /// `--replace`: objects planned for replacement even when they match the configuration.
    public var replace: [String]
    /// Whether the plan reads every managed object first; false plans against the recorded state.
    public var refresh: Bool

    public init(targets: [String] = [], excludes: [String] = [], replace: [String] = [], refresh: Bool = true) {
        self.targets = targets
        self.excludes = excludes
        self.replace = replace
        self.refresh = refresh
    }

    /// Whether the plan leaves part of the configuration out.
    public var isPartial: Bool { !targets.isEmpty || !excludes.isEmpty }

    /// The flags as an operator would type them again, e.g. `--target web --exclude db`.
    public var scopeFlags: String {
        (targets.map { "--target \($0)" } + excludes.map { "--exclude \($0)" }).joined(separator: " ")
    }
}
