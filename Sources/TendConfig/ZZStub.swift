import TendModel
public struct Configuration: Sendable {
    public var directory: String
    public var specs: [ResourceSpec]
    public var providers: [String: [String: Value]]
    public var variables: [String: Value]
    public var stack: String
    public var defaultDriftPolicy: DriftPolicy
}
public struct ConfigLoader: Sendable {
    public init(catalog: SchemaCatalog) {}
    public func load(directory: String, variables: [String: String], varFiles: [String], environment: [String: String]) -> LoadResult { LoadResult() }
}
public struct LoadResult: Sendable {
    public var configuration: Configuration?
    public var diagnostics: [Diagnostic] = []
    public var sources: [String: String] = [:]
}
public struct DiagnosticRenderer { public static func render(_ d: Diagnostic, sources: [String: String]) -> String { d.headline } }
