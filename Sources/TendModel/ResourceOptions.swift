/// What to do when a resource drifts.
public enum DriftPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    case report
    case remediate
    case ignore

    /// By case, inlined where it is used (see `ResourceAddress.==`).
    @inlinable
    public static func == (lhs: DriftPolicy, rhs: DriftPolicy) -> Bool {
        switch (lhs, rhs) {
        case (.report, .report), (.remediate, .remediate), (.ignore, .ignore): true
        default: false
        }
    }
}

/// The `options` block of a resource.
public struct ResourceOptions: Sendable, Hashable, Codable {
    public var dependsOn: [String]
    public var ignoreChanges: [AttributePath]
    public var preventDestroy: Bool
    public var createBeforeDestroy: Bool
    public var drift: DriftPolicy
    /// The provider block that serves the resource (`options.provider`); nil for the type's usual provider.
    public var provider: String?

    public init(dependsOn: [String] = [], ignoreChanges: [AttributePath] = [], preventDestroy: Bool = false,
                createBeforeDestroy: Bool = false, drift: DriftPolicy = .report, provider: String? = nil) {
        self.provider = provider
        self.dependsOn = dependsOn
        self.ignoreChanges = ignoreChanges
        self.preventDestroy = preventDestroy
        self.createBeforeDestroy = createBeforeDestroy
        self.drift = drift
    }

    /// Whether a path is covered by `ignore_changes`.
    public func ignores(_ path: AttributePath) -> Bool {
        ignoreChanges.contains { path.hasPrefix($0) }
    }
}
