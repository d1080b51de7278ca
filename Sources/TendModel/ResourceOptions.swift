/// What to do when a resource drifts.
public enum DriftPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    case report
    case remediate
    case ignore
}

/// The `options` block of a resource.
public struct ResourceOptions: Sendable, Hashable, Codable {
    public var dependsOn: [String]
    public var ignoreChanges: [AttributePath]
    public var preventDestroy: Bool
    public var createBeforeDestroy: Bool
    public var drift: DriftPolicy

    public init(dependsOn: [String] = [], ignoreChanges: [AttributePath] = [], preventDestroy: Bool = false,
                createBeforeDestroy: Bool = false, drift: DriftPolicy = .report) {
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
