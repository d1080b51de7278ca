import Synchronization

/// Remembers parsed templates and interpolations: a for_each or count of thousands of instances
/// parses the same strings once, not once per instance.
final class ParseCache: Sendable {
    private let templates = Mutex<[String: Result<Template, Template.SyntaxError>]>([:])
    private let expressions = Mutex<[String: Result<ExpressionSyntax, ExpressionSyntax.Problem>]>([:])

    func template(_ text: String) -> Result<Template, Template.SyntaxError> {
        if let hit = templates.withLock({ $0[text] }) { return hit }
        let parsed = Template.parse(text)
        templates.withLock { $0[text] = parsed }
        return parsed
    }

    func expression(_ text: String) -> Result<ExpressionSyntax, ExpressionSyntax.Problem> {
        if let hit = expressions.withLock({ $0[text] }) { return hit }
        let parsed = ExpressionSyntax.parse(text)
        expressions.withLock { $0[text] = parsed }
        return parsed
    }
}
