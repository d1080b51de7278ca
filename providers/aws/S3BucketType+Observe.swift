import ProviderKit
import TendModel

extension S3BucketType {
    /// HeadBucket, then GetBucketTagging and GetBucketVersioning side by side: three requests, two round trips.
    func observe(id: String, prior: [String: Value], session: AWSSession) async throws -> [String: Value]? {
        try await Self.naming(id) {
            guard let head = try await Self.head(id, session: session) else { return nil }
            async let tags = Self.tags(of: id, session: session)
            async let versioned = Self.isVersioned(id, session: session)
            guard let tags = try await tags, let versioned = try await versioned else { return nil }
            let region = head.header("x-amz-bucket-region") ?? prior["region"]?.stringValue ?? session.configuration.region
            return Self.attributes(name: id, tags: tags, isVersioned: versioned,
                                   forceDestroy: prior["force_destroy"]?.boolValue ?? false, region: region)
        }
    }

    /// S3 has no batch describe. The tags of every bucket tend made come from a few pages of the Resource Groups
    /// Tagging API while each bucket's versioning is read, `AWSProvider.readFanOut` at a time (a 404 there says
    /// the bucket is gone). That API is eventually consistent and may not know a bucket (another region, never
    /// tagged, no permission), so a bucket it does not list, or lists with tags other than those recorded, has
    /// its tags read from S3 itself: drift is only ever reported from S3's own answer. N + N/24 + (changed)
    /// requests instead of 3 N.
    func observe(priors: [String: [String: Value]], session: AWSSession) async throws -> [String: [String: Value]]? {
        async let scanned = Self.scanTags(session: session)
        let versioning = try await AWSProvider.boundedMap(priors.keys.sorted()) { id in
            try await Self.naming(id) { (id, try await Self.isVersioned(id, session: session)) }
        }
        let present = versioning.compactMap { id, versioned in versioned.map { (id, $0) } }
        let scannedTags = await scanned
        let unconfirmed = present.map(\.0).filter { id in
            guard let listed = scannedTags[id] else { return true }
            return AWSProvider.tagsValue(AWSProvider.userTags(listed)) != (priors[id]?["tags"] ?? .map([:]))
        }
        let readTags = try await AWSProvider.boundedMap(unconfirmed) { id in
            try await Self.naming(id) { (id, try await Self.tags(of: id, session: session)) }
        }
        var s3Tags: [String: [String: String]?] = [:]
        for (id, tags) in readTags { s3Tags.updateValue(tags, forKey: id) }
        var byID: [String: [String: Value]] = [:]
        for (id, versioned) in present {
            // S3's own answer where it was asked (nil there: the bucket went away meanwhile), else the scan's.
            guard let tags = s3Tags[id] ?? scannedTags[id] else { continue }
            let prior = priors[id] ?? [:]
            byID[id] = Self.attributes(name: id, tags: tags, isVersioned: versioned, forceDestroy: prior["force_destroy"]?.boolValue ?? false,
                                       region: prior["region"]?.stringValue ?? session.configuration.region)
        }
        return byID
    }

    /// Tags of every bucket carrying a `tend:stack` tag, by bucket name, from the Resource Groups Tagging API.
    /// Empty when the API cannot be used (not allowed, not offered by the endpoint): callers then read S3 itself.
    static func scanTags(session: AWSSession) async -> [String: [String: String]] {
        var tagsByBucket: [String: [String: String]] = [:]
        var token: String?
        repeat {
            // The most per page: a page also ends at TagsPerPage tags (100 unless raised), which with a few tags per
            // bucket would cut pages to a quarter of their size and multiply the sequential round trips.
            var body: [String: Any] = ["ResourceTypeFilters": ["s3:bucket"], "TagFilters": [["Key": "tend:stack"]],
                                       "ResourcesPerPage": 100, "TagsPerPage": 500]
            if let token { body["PaginationToken"] = token }
            // The tagging API only saves requests: when it fails (no permission, another region, an outage) every
            // bucket's tags are read from S3 itself, which decides drift anyway, so nothing is lost or hidden.
            guard let page = try? await session.json(service: "tagging", target: "ResourceGroupsTaggingAPI_20170126.GetResources",
                                                     body: body) else { return [:] }
            for mapping in page["ResourceTagMappingList"] as? [[String: Any]] ?? [] {
                guard let arn = mapping["ResourceARN"] as? String, arn.hasPrefix("arn:"),
                      let separator = arn.range(of: ":::") else { continue }
                var tags: [String: String] = [:]
                for tag in mapping["Tags"] as? [[String: Any]] ?? [] {
                    if let key = tag["Key"] as? String { tags[key] = tag["Value"] as? String ?? "" }
                }
                tagsByBucket[String(arn[separator.upperBound...])] = tags
            }
            token = (page["PaginationToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return tagsByBucket
    }
}
