import TendModel

/// A loaded, validated configuration: expanded resource instances, data sources, providers and variables.
public struct Configuration: Sendable {
    /// The directory the manifests were read from, as given.
    public var directory: String
    /// Expanded instances, sorted by address.
    public var specs: [ResourceSpec]
    /// Declared data sources (`data:`), sorted by address.
    public var dataSources: [DataSourceSpec]
    /// Provider blocks by name, with variables and environment interpolated.
    public var providers: [String: [String: Value]]
    /// Resolved variable values.
    public var variables: [String: Value]
    /// The `stack:` key when given; nil otherwise. The stack id in use is recorded with the state: a declared one
    /// replaces it, and without one the recorded id stays, so moving or renaming the directory changes nothing.
    public var stack: String?
    /// `settings.drift`, `.report` when absent; resources without a drift option use it.
    public var defaultDriftPolicy: DriftPolicy
    /// Declared outputs (`outputs:`), sorted by name.
    public var outputs: [OutputSpec] = []

    public init(directory: String, specs: [ResourceSpec], providers: [String: [String: Value]], variables: [String: Value],
                stack: String?, defaultDriftPolicy: DriftPolicy = .report, dataSources: [DataSourceSpec] = []) {
        self.directory = directory
        self.specs = specs
        self.dataSources = dataSources
        self.providers = providers
        self.variables = variables
        self.stack = stack
        self.defaultDriftPolicy = defaultDriftPolicy
    }
}
