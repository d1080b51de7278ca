import Foundation
import ProviderKit
import TendModel

/// IAM policy documents as tend handles them: IAM returns them URL-encoded, and two documents that parse
/// to the same JSON value are the same policy whatever their whitespace or key order.
enum IAMPolicyDocument {
    /// The document as JSON text: percent-decoded when IAM sent it URL-encoded (it always does on AWS;
    /// moto's ListRoles does not), unchanged when it is JSON already.
    static func decode(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") { return text }
        return text.removingPercentEncoding ?? text
    }

    /// Whether two documents parse to the same JSON value; text that is not JSON compares as text.
    static func isEquivalent(_ left: String, _ right: String) -> Bool {
        if left == right { return true }
        // A document that is not JSON compares as text, which the line above already did.
        guard let lhs = try? JSONValueParser.parse(left), let rhs = try? JSONValueParser.parse(right) else { return false }
        return lhs == rhs
    }

    /// The remote document, or `prior` when it says the same thing, so observing never reports a change of formatting.
    static func preferring(_ prior: String?, over remote: String) -> String {
        guard let prior, isEquivalent(prior, remote) else { return remote }
        return prior
    }

    /// Throws a terminal `invalidInput` error when the document is not a JSON object.
    static func validate(_ text: String, attribute: String, role: String) throws {
        do {
            guard case .map = try JSONValueParser.parse(text) else {
                throw ProviderError(.invalidInput, "aws_iam_role \"\(role)\": \(attribute) must be a JSON object",
                                    remoteCode: "MalformedPolicyDocument")
            }
        } catch let error as JSONValueParser.SyntaxError {
            throw ProviderError(.invalidInput, "aws_iam_role \"\(role)\": \(attribute) is not JSON: \(error)",
                                remoteCode: "MalformedPolicyDocument")
        }
    }
}
