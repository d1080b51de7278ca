import TendModel

/// Collects diagnostics while loading; drops exact repeats (for_each instances share their mistakes).
struct DiagnosticList: Sendable {
    private(set) var items: [Diagnostic] = []
    private var seen: Set<String> = []

    mutating func append(_ diagnostic: Diagnostic) {
        let key = "\(diagnostic.location.map(String.init(describing:)) ?? "")|\(diagnostic.severity)|\(diagnostic.summary)"
        if seen.insert(key).inserted { items.append(diagnostic) }
    }

    mutating func append(contentsOf other: DiagnosticList) {
        for diagnostic in other.items { append(diagnostic) }
    }

    mutating func error(_ summary: String, at location: SourceLocation?, address: String? = nil) {
        append(Diagnostic(.error, summary, at: location, address: address))
    }

    mutating func warning(_ summary: String, at location: SourceLocation?) {
        append(Diagnostic(.warning, summary, at: location))
    }

    var hasErrors: Bool { items.hasErrors }
}
