/// A problem the user can fix, with where it is.
public struct Diagnostic: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    public var severity: Severity
    public var summary: String
    public var detail: String?
    public var location: SourceLocation?
    public var address: String?

    public init(_ severity: Severity = .error, _ summary: String, detail: String? = nil,
                at location: SourceLocation? = nil, address: String? = nil) {
        self.severity = severity
        self.summary = summary
        self.detail = detail
        self.location = location
        self.address = address
    }

    /// `file:line:col: error: summary`, or `error: summary` without a location.
    public var headline: String {
        let prefix = location.map { "\($0): " } ?? ""
        return "\(prefix)\(severity.rawValue): \(summary)"
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by file, line, column, then text: deterministic output.
    public var sortedByLocation: [Diagnostic] {
        sorted { a, b in
            switch (a.location, b.location) {
            case let (l?, r?) where l != r: return l < r
            case (nil, _?): return true
            case (_?, nil): return false
            default: return a.summary < b.summary
            }
        }
    }
}
