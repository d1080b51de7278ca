// TendConfig turns a directory of YAML and JSON manifests into resource specs,
// with a file:line:column on every problem. It imports TendModel, TendGraph and
// Yams only: no providers, no state, no engine, and it reads no environment,
// clock or working directory of its own.

import TendModel

/// What loading a configuration directory produced.
public struct LoadResult: Sendable {
    /// The configuration; nil when any error was found.
    public var configuration: Configuration?
    /// Every problem found, sorted by location.
    public var diagnostics: [Diagnostic]
    /// File path (as shown in diagnostics) → file text, for rendering carets.
    public var sources: [String: String]

    public init(configuration: Configuration?, diagnostics: [Diagnostic], sources: [String: String]) {
        self.configuration = configuration
        self.diagnostics = diagnostics
        self.sources = sources
    }
}
