import ProviderKit
import TendModel

extension S3BucketType {
    /// HeadBucket (existence, region), then side by side GetBucketTagging and GetBucketVersioning for what `scope`
    /// holds: one to three requests, two round trips at most. What it does not hold is reported as `prior` has it.
    func observe(id: String, prior: [String: Value], scope: ReadScope, session: AWSSession) async throws -> [String: Value]? {
        try await Self.naming(id) {
            guard let head = try await Self.head(id, session: session) else { return nil }
            async let tags = Self.tagsAttribute(of: id, reading: scope.reads("tags", of: id), prior: prior, session: session)
            async let versioning = Self.versioningAttribute(of: id, reading: scope.reads("versioning", of: id), prior: prior,
                                                            session: session)
            guard let tags = try await tags, let versioning = try await versioning else { return nil }
            let region = head.header("x-amz-bucket-region") ?? prior["region"]?.stringValue ?? session.configuration.region
            return Self.attributes(name: id, tags: tags, versioning: versioning,
                                   forceDestroy: prior["force_destroy"]?.boolValue ?? false, region: region)
        }
    }

    /// S3 has no batch describe. Which buckets exist comes from ListBuckets (a bucket it does not show, which may
    /// be new, is asked with HeadBucket before it counts as gone). The tags of the buckets whose scope holds `tags`
    /// come from a few pages of the Resource Groups Tagging API, which is eventually consistent and may not know a
    /// bucket (another region, never tagged, no permission): a bucket it does not list, or lists with tags other
    /// than those recorded, has its tags read from S3 itself, so drift is only ever reported from S3's own answer.
    /// Versioning is read only for the buckets whose scope holds it, `AWSProvider.readFanOut` at a time. So
    /// 1 + N/100 + (declared versioning) + (changed or unlisted) requests; what a scope leaves out is reported as
    /// the priors have it.
    func observe(priors: [String: [String: Value]], scope: ReadScope, session: AWSSession) async throws -> [String: [String: Value]]? {
        let ids = priors.keys.sorted()
        let tagged = scope.reading("tags", among: ids)
        async let listed = list(session: session)
        async let scanned = Self.scanTags(session: session, when: !tagged.isEmpty)
        async let versionReads = AWSProvider.boundedMap(scope.reading("versioning", among: ids)) { id in
            try await Self.naming(id) { (id, try await Self.isVersioned(id, session: session)) }
        }
        let versioned = Dictionary(try await versionReads, uniquingKeysWith: { a, _ in a })
        let present = try await Self.existing(ids, listed: Set(try await listed), answered: versioned, session: session)
        let scannedTags = await scanned
        let unconfirmed = tagged.filter { id in
            guard present.contains(id) else { return false }
            guard let listed = scannedTags[id] else { return true }
            return AWSProvider.tagsValue(AWSProvider.userTags(listed)) != (priors[id]?["tags"] ?? .map([:]))
        }
        let readTags = try await AWSProvider.boundedMap(unconfirmed) { id in
            try await Self.naming(id) { (id, try await Self.tags(of: id, session: session)) }
        }
        var s3Tags: [String: [String: String]?] = [:]
        for (id, tags) in readTags { s3Tags.updateValue(tags, forKey: id) }
        var byID: [String: [String: Value]] = [:]
        for id in ids where present.contains(id) {
            let prior = priors[id] ?? [:]
            var tags = prior["tags"] ?? .map([:])
            if scope.reads("tags", of: id) {
                // S3's own answer where it was asked (nil there: the bucket went away meanwhile), else the scan's.
                guard let read = s3Tags[id] ?? scannedTags[id] else { continue }
                tags = AWSProvider.tagsValue(AWSProvider.userTags(read))
            }
            var versioning = prior["versioning"] ?? .bool(false)
            if let answer = versioned[id] {
                guard let answer else { continue }   // the bucket went away meanwhile
                versioning = .bool(answer)
            }
            byID[id] = Self.attributes(name: id, tags: tags, versioning: versioning, forceDestroy: prior["force_destroy"]?.boolValue ?? false,
                                       region: prior["region"]?.stringValue ?? session.configuration.region)
        }
        return byID
    }

    /// Which of `ids` exist: a bucket S3 answered about (`answered`; nil there for a 404) exists as that answer
    /// says; one ListBuckets showed exists; one it did not show may be new (the listing is eventually consistent)
    /// and is asked with HeadBucket.
    static func existing(_ ids: [String], listed: Set<String>, answered: [String: Bool?], session: AWSSession) async throws -> Set<String> {
        var present: Set<String> = []
        var unlisted: [String] = []
        for id in ids {
            switch answered[id] {
            case .some(.some): present.insert(id)
            case .some(.none): continue
            case .none: if listed.contains(id) { present.insert(id) } else { unlisted.append(id) }
            }
        }
        let heads = try await AWSProvider.boundedMap(unlisted) { id in
            try await naming(id) { (id, try await head(id, session: session) != nil) }
        }
        return present.union(heads.filter(\.1).map(\.0))
    }

    /// The `tags` attribute: read from S3 when `reading` (nil when the bucket is gone), else as `prior` has it.
    static func tagsAttribute(of id: String, reading: Bool, prior: [String: Value], session: AWSSession) async throws -> Value? {
        guard reading else { return prior["tags"] ?? .map([:]) }
        return try await tags(of: id, session: session).map { AWSProvider.tagsValue(AWSProvider.userTags($0)) }
    }

    /// The `versioning` attribute: read from S3 when `reading` (nil when the bucket is gone), else as `prior` has it.
    static func versioningAttribute(of id: String, reading: Bool, prior: [String: Value], session: AWSSession) async throws -> Value? {
        guard reading else { return prior["versioning"] ?? .bool(false) }
        return try await isVersioned(id, session: session).map(Value.bool)
    }

    /// `scanTags(session:)` when `needed`, else nothing (no request).
    static func scanTags(session: AWSSession, when needed: Bool) async -> [String: [String: String]] {
        needed ? await scanTags(session: session) : [:]
    }

    /// Tags of every bucket carrying a `tend:stack` tag, by bucket name, from the Resource Groups Tagging API.
    /// Empty when the API cannot be used (not allowed, not offered by the endpoint): callers then read S3 itself.
    static func scanTags(session: AWSSession) async -> [String: [String: String]] {
        var tagsByBucket: [String: [String: String]] = [:]
        var token: String?
        repeat {
            // The most per page: a page also ends at TagsPerPage tags (100 unless raised), which with a few tags per
            // bucket would cut pages to a quarter of their size and multiply the sequential round trips.
            var body: [String: Value] = ["ResourceTypeFilters": .list([.string("s3:bucket")]),
                                         "TagFilters": .list([.map(["Key": .string("tend:stack")])]),
                                         "ResourcesPerPage": .number(100), "TagsPerPage": .number(500)]
            if let token { body["PaginationToken"] = .string(token) }
            // The tagging API only saves requests: when it fails (no permission, another region, an outage) every
            // bucket's tags are read from S3 itself, which decides drift anyway, so nothing is lost or hidden.
            guard let page = try? await session.json(service: "tagging", target: "ResourceGroupsTaggingAPI_20170126.GetResources",
                                                     body: body) else { return [:] }
            for mapping in page["ResourceTagMappingList"]?.listValue ?? [] {
                guard let arn = mapping.mapValue?["ResourceARN"]?.stringValue, arn.hasPrefix("arn:"),
                      let separator = arn.firstRange(of: ":::") else { continue }
                var tags: [String: String] = [:]
                for tag in mapping.mapValue?["Tags"]?.listValue ?? [] {
                    if let key = tag.mapValue?["Key"]?.stringValue { tags[key] = tag.mapValue?["Value"]?.stringValue ?? "" }
                }
                tagsByBucket[String(arn[separator.upperBound...])] = tags
            }
            token = page["PaginationToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return tagsByBucket
    }
}
