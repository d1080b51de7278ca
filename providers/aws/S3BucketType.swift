import ProviderKit
import TendModel

/// `aws_s3_bucket`: an S3 bucket with its tags and versioning. The id is the bucket name.
///
/// Creating a bucket this account already owns is success, so a retried create converges; a bucket
/// already tagged with another tend address is a conflict. Tags `tend:*` are tend's own: written on
/// create, kept on update, never reported in observed `tags`.
struct S3BucketType: AWSResourceType {
    let schema = ResourceSchema(type: "aws_s3_bucket", description: "An S3 bucket.", attributes: [
        "bucket": AttributeSchema(.string, .required, forceNew: true, description: "The bucket's name, unique across all of S3."),
        "tags": AttributeSchema(.map(.string), .optional, description: "Tags on the bucket; tend adds tend:stack and tend:address."),
        "versioning": AttributeSchema(.bool, .optional, default: .bool(false), description: "Whether object versioning is enabled."),
        "force_destroy": AttributeSchema(.bool, .optional, default: .bool(false),
                                         description: "Whether delete removes every object version first; otherwise a non-empty bucket is not deleted."),
        "region": AttributeSchema(.string, .optionalComputed, forceNew: true, description: "The bucket's region; the provider's region when unset."),
        "arn": AttributeSchema(.string, .computed, description: "The bucket's ARN."),
    ])

    func plan(_ desired: [String: Value], session: AWSSession) async throws -> [String: Value] {
        var planned = desired
        for (name, attribute) in schema.attributes {
            if planned[name] == nil || planned[name] == .null, let fallback = attribute.defaultValue { planned[name] = fallback }
        }
        if planned["region"] == nil || planned["region"] == .null { planned["region"] = .string(session.configuration.region) }
        if let name = desired["bucket"]?.stringValue {
            try S3BucketName.validate(name)
            if let region = planned["region"]?.stringValue { planned["arn"] = .string(Self.arn(name, region: region)) }
        }
        return planned
    }

    func create(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject {
        let name = try Self.bucketName(desired)
        try S3BucketName.validate(name)
        let region = desired["region"]?.stringValue ?? session.configuration.region
        try await Self.naming(name) {
            // In us-east-1 S3 answers 200 also for a bucket this account owns already; the buckets that existed
            // (listed once for the session's creates, at most the adoption window ago) tell a new one apart.
            let unknown = region == "us-east-1" ? try await session.inventory.claimsUnknownBucket(
                name, lifetime: Self.untaggedAdoptionWindow, now: session.clock(), list: { try await self.list(session: session) }) : true
            let response = try await session.rest(service: "s3", method: "PUT", path: "/" + name, body: S3RequestBody.createBucket(region: region) ?? [],
                                                  operation: "s3:CreateBucket", allowing: [409])
            let code = AWSErrorDetails(body: response.body, headers: response.headers).code
            if response.status == 409, code != "BucketAlreadyOwnedByYou" {
                throw AWSErrorParser.providerError(for: response, operation: "s3:CreateBucket")
            }
            // A 200 outside us-east-1, or a 200 in us-east-1 for a name that was neither listed nor created in this
            // session before, is a bucket this create made (it has no tags to check). BucketAlreadyOwnedByYou, or
            // another 200 in us-east-1, may be an older bucket that is not ours: its tags, and when it has no tend
            // tags its age, decide.
            let isNew = response.status == 200 && unknown
            if !isNew {
                let mayBeOlder = response.status == 409 || region == "us-east-1"
                try await Self.checkOwnership(name, existing: try await Self.tags(of: name, session: session) ?? [:], tags: tags,
                                              mayBeOlder: mayBeOlder, session: session)
            }
            let userTags = AWSProvider.declaredTags(desired)
            try await Self.putTags(userTags.merging(tags) { _, tend in tend }, on: name, session: session)
            if desired["versioning"]?.boolValue == true {
                try await Self.putVersioning(enabled: true, on: name, session: session)
            }
        }
        let attributes = Self.attributes(name: name, tags: AWSProvider.tagsValue(AWSProvider.userTags(AWSProvider.declaredTags(desired))),
                                         versioning: .bool(desired["versioning"]?.boolValue ?? false),
                                         forceDestroy: desired["force_destroy"]?.boolValue ?? false, region: region)
        return CreatedObject(id: name, attributes: attributes)
    }

    func update(id: String, current: [String: Value], desired: [String: Value], session: AWSSession) async throws -> [String: Value] {
        let wantedTags = AWSProvider.declaredTags(desired)
        let wantsVersioning = desired["versioning"]?.boolValue ?? false
        try await Self.naming(id) {
            if wantedTags != AWSProvider.declaredTags(current) {
                let tendTags = (try await Self.tags(of: id, session: session) ?? [:]).filter { AWSProvider.isTendTag($0.key) }
                try await Self.putTags(wantedTags.merging(tendTags) { _, tend in tend }, on: id, session: session)
            }
            if wantsVersioning != (current["versioning"]?.boolValue ?? false) {
                try await Self.putVersioning(enabled: wantsVersioning, on: id, session: session)
            }
        }
        var result = current
        result["bucket"] = .string(id)
        result["tags"] = AWSProvider.tagsValue(wantedTags)
        result["versioning"] = .bool(wantsVersioning)
        result["force_destroy"] = .bool(desired["force_destroy"]?.boolValue ?? false)
        let region = current["region"]?.stringValue ?? session.configuration.region
        result["region"] = .string(region)
        result["arn"] = .string(Self.arn(id, region: region))
        return result
    }

    func delete(id: String, current: [String: Value], session: AWSSession) async throws {
        try await Self.naming(id) {
            if current["force_destroy"]?.boolValue == true {
                try await Self.deleteEveryObjectVersion(in: id, session: session)
            }
            let response = try await session.rest(service: "s3", method: "DELETE", path: "/" + id, operation: "s3:DeleteBucket", allowing: [404, 409])
            let code = AWSErrorDetails(body: response.body, headers: response.headers).code
            switch (response.status, code) {
            case (404, _): return
            case (409, "BucketNotEmpty"):
                throw ProviderError(.conflict, "bucket \(id) is not empty; empty it first, or set force_destroy = true to delete every object version with it",
                                    remoteCode: "BucketNotEmpty")
            case (409, _): throw AWSErrorParser.providerError(for: response, operation: "s3:DeleteBucket")
            default: return
            }
        }
    }

    func list(session: AWSSession) async throws -> [String] {
        var names: [String] = []
        var token: String?
        repeat {
            let query = token.map { ["continuation-token": $0] } ?? [:]
            let response = try await session.rest(service: "s3", method: "GET", path: "/", query: query, operation: "s3:ListBuckets")
            guard let document = XMLNode.parse(response.body) else {
                throw ProviderError(.failed, "s3:ListBuckets returned a response that is not XML (HTTP \(response.status))")
            }
            names += document.child("Buckets")?.children("Bucket").compactMap { $0.string("Name") } ?? []
            token = document.string("ContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return names.sorted()
    }

    // MARK: - Values

    /// Every attribute of a bucket; `tags` must hold the user's tags only.
    static func attributes(name: String, tags: Value, versioning: Value, forceDestroy: Bool, region: String) -> [String: Value] {
        ["bucket": .string(name), "tags": tags, "versioning": versioning,
         "force_destroy": .bool(forceDestroy), "region": .string(region), "arn": .string(arn(name, region: region))]
    }

    /// `arn:aws:s3:::NAME`, in the partition of the region (aws-cn, aws-us-gov).
    static func arn(_ name: String, region: String) -> String {
        let partition = region.hasPrefix("cn-") ? "aws-cn" : region.hasPrefix("us-gov-") ? "aws-us-gov" : "aws"
        return "arn:\(partition):s3:::\(name)"
    }

    static func bucketName(_ desired: [String: Value]) throws -> String {
        guard let name = desired["bucket"]?.stringValue, !name.isEmpty else {
            throw ProviderError(.invalidInput, "aws_s3_bucket: bucket must be a known, non-empty string")
        }
        return name
    }

    /// Runs `body`, prefixing the message of any ProviderError with the bucket it concerns.
    static func naming<T: Sendable>(_ name: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch var error as ProviderError {
            error.message = "aws_s3_bucket \"\(name)\": " + error.message
            throw error
        }
    }
}
