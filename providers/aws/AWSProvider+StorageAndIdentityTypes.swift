import ProviderKit
import TendModel

extension AWSProvider {
    /// S3 and IAM types: aws_s3_bucket, aws_iam_role.
    static var storageAndIdentityTypes: [any AWSResourceType] { [S3BucketType(), IAMRoleType()] }

    /// Requests in flight at once when a type fans out single reads (S3 has no batch describe).
    static let readFanOut = 16

    /// Whether tend manages a tag itself (`tend:stack`, `tend:address`): such tags are written on create,
    /// kept on update, and never reported in observed `tags`, so they never show as drift.
    static func isTendTag(_ key: String) -> Bool { key.hasPrefix("tend:") }

    /// The user's tags out of every tag an object carries.
    static func userTags(_ tags: [String: String]) -> [String: String] {
        tags.filter { !isTendTag($0.key) }
    }

    /// The `tags` attribute as strings; non-string values are converted as Terraform does.
    static func declaredTags(_ attributes: [String: Value]) -> [String: String] {
        var tags: [String: String] = [:]
        for (key, value) in attributes["tags"]?.mapValue ?? [:] { tags[key] = value.interpolationText ?? "" }
        return tags
    }

    /// A tag map as an attribute value.
    static func tagsValue(_ tags: [String: String]) -> Value {
        .map(tags.mapValues { .string($0) })
    }

    /// Runs `body` over `inputs` with at most `limit` calls in flight; results in input order.
    /// Cancellation is checked before each call starts; the first error cancels the rest and is thrown.
    static func boundedMap<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], limit: Int = readFanOut, _ body: @escaping @Sendable (Input) async throws -> Output
    ) async throws -> [Output] {
        try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            var results = [Output?](repeating: nil, count: inputs.count)
            var next = 0
            func startNext() throws {
                guard next < inputs.count else { return }
                try Task.checkCancellation()
                let index = next
                let input = inputs[index]
                group.addTask { (index, try await body(input)) }
                next += 1
            }
            for _ in 0..<max(1, limit) { try startNext() }
            while let (index, output) = try await group.next() {
                results[index] = output
                try startNext()
            }
            return results.compactMap { $0 }
        }
    }
}
