import ProviderKit
import TendModel

/// The EC2 Query API as the compute types use it: calls whose errors name the resource, describes that batch
/// ids and follow `NextToken`, and deletes that succeed when the object is already gone.
enum EC2API {
    /// The EC2 API version every call is made with.
    static let version = "2016-11-15"

    /// Ids per describe call; AWS takes at most 200 filter values.
    static let batchSize = 200

    /// One EC2 call. A failure keeps its code and AWS code; its message is prefixed with `subject`
    /// (e.g. `aws_vpc web` or `aws_vpc vpc-0abc`) so the user sees which resource failed.
    static func call(_ session: AWSSession, _ action: String, _ parameters: [String: String],
                     subject: String) async throws -> XMLNode {
        do {
            return try await session.query(service: "ec2", version: version, action: action, parameters: parameters)
        } catch let error as ProviderError {
            var named = error
            named.message = "\(subject): \(error.message)"
            throw named
        }
    }

    /// Whether an error says the object (or one of the objects) asked for does not exist.
    static func isNotFound(_ error: Error) -> Bool {
        guard let error = error as? ProviderError, let code = error.remoteCode else { return false }
        return AWSErrorParser.isNotFound(code)
    }

    /// Whether an error says an id is not even well-formed (`InvalidVpcID.Malformed`): as a filter value it
    /// simply matches nothing.
    static func isMalformedID(_ error: Error) -> Bool {
        guard let error = error as? ProviderError, let code = error.remoteCode else { return false }
        return code.hasSuffix("ID.Malformed")
    }

    /// Every page of a describe call, following `NextToken`.
    static func describeAll(_ session: AWSSession, _ action: String, _ parameters: [String: String],
                            subject: String) async throws -> [XMLNode] {
        var pages: [XMLNode] = []
        var token: String?
        repeat {
            var page = parameters
            if let token { page["NextToken"] = token }
            let document = try await call(session, action, page, subject: subject)
            pages.append(document)
            token = document.string("nextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return pages
    }

    /// The pages describing `ids`: one call per 200 ids with `<idParameter>.N`; when AWS answers that one of them
    /// does not exist (or is malformed), the same ids again as a `Filter` on `filterName`, which returns only those that do.
    static func describe(_ session: AWSSession, _ action: String, ids: [String], idParameter: String, filterName: String,
                         extra: [String: String] = [:], subject: String) async throws -> [XMLNode] {
        var pages: [XMLNode] = []
        let sorted = Array(Set(ids)).sorted()
        for start in stride(from: 0, to: sorted.count, by: batchSize) {
            let chunk = Array(sorted[start..<min(start + batchSize, sorted.count)])
            var byID = extra
            for (index, id) in chunk.enumerated() { byID["\(idParameter).\(index + 1)"] = id }
            do {
                pages += try await describeAll(session, action, byID, subject: subject)
            } catch where isNotFound(error) || isMalformedID(error) {
                pages += try await describeAll(session, action, extra.merging(filter(1, filterName, chunk)) { a, _ in a },
                                               subject: subject)
            }
        }
        return pages
    }

    /// `Filter.<n>.Name` and its `Filter.<n>.Value.N` parameters.
    static func filter(_ number: Int, _ name: String, _ values: [String]) -> [String: String] {
        var parameters = ["Filter.\(number).Name": name]
        for (index, value) in values.enumerated() { parameters["Filter.\(number).Value.\(index + 1)"] = value }
        return parameters
    }

    /// Filters matching the tend:stack and tend:address tags of `tags`, numbered from 1. Filter values are
    /// patterns (`*`, `?`, and for some servers `[...]`), so those characters become `?`: the filter may match
    /// more than asked, and callers keep only exact matches with `hasTags`.
    static func tagFilters(_ tags: [String: String]) -> [String: String] {
        var parameters: [String: String] = [:]
        for (index, key) in tags.keys.sorted().enumerated() {
            let pattern = String((tags[key] ?? "").map { "*?[]\\".contains($0) ? "?" : $0 })
            parameters.merge(filter(index + 1, "tag:\(key)", [pattern])) { a, _ in a }
        }
        return parameters
    }

    /// Whether an object's `tagSet` holds every one of `tags` exactly.
    static func hasTags(_ item: XMLNode, _ tags: [String: String]) -> Bool {
        var found: [String: String] = [:]
        for tag in item.child("tagSet")?.items ?? [] {
            if let key = tag.string("key") { found[key] = tag.string("value") ?? "" }
        }
        return tags.allSatisfy { found[$0.key] == $0.value }
    }

    /// Runs a delete call; an object already gone counts as deleted.
    static func delete(_ session: AWSSession, _ action: String, _ parameters: [String: String], subject: String) async throws {
        do {
            _ = try await call(session, action, parameters, subject: subject)
        } catch where isNotFound(error) {
            return
        }
    }

    /// The ARN of an EC2 object: `arn:aws:ec2:REGION:ACCOUNT:KIND/ID`.
    static func arn(session: AWSSession, owner: String?, kind: String, id: String) -> Value {
        guard let owner, !owner.isEmpty else { return .null }
        return .string("arn:aws:ec2:\(session.configuration.region):\(owner):\(kind)/\(id)")
    }

    /// `true`/`false` text as a bool value; absent text is `fallback`.
    static func bool(_ text: String?, default fallback: Bool) -> Value {
        .bool(text.map { $0 == "true" } ?? fallback)
    }
}
