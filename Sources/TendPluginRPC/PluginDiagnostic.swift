import TendPlugin

/// A diagnostic a provider returned: an error or a warning, maybe about one attribute.
public struct PluginDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    public var summary: String
    public var detail: String
    /// The attribute it is about; empty for the whole object or the call.
    public var path: [PluginPathStep]

    public init(severity: Severity, summary: String, detail: String = "", path: [PluginPathStep] = []) {
        self.severity = severity
        self.summary = summary
        self.detail = detail
        self.path = path
    }

    /// `summary: detail` with the attribute path in front when there is one.
    public var description: String {
        let place = path.isEmpty ? "" : PluginPathStep.render(path) + ": "
        let text = detail.isEmpty || detail == summary ? summary : "\(summary): \(detail)"
        return place + text
    }
}

extension Array where Element == PluginDiagnostic {
    /// The errors among them.
    var errors: [PluginDiagnostic] { filter { $0.severity == .error } }
}
