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

    /// S3 has no batch describe: one ListBuckets says which buckets exist, then tags and versioning of each are
    /// read, at most `AWSProvider.readFanOut` buckets at a time: 1 + 2 N requests instead of 3 N.
    func observe(priors: [String: [String: Value]], session: AWSSession) async throws -> [String: [String: Value]]? {
        let existing = Set(try await list(session: session))
        let ids = priors.keys.sorted().filter { existing.contains($0) }
        let observed = try await AWSProvider.boundedMap(ids) { id in
            (id, try await self.observeListed(id: id, prior: priors[id] ?? [:], session: session))
        }
        var byID: [String: [String: Value]] = [:]
        for (id, attributes) in observed {
            if let attributes { byID[id] = attributes }
        }
        return byID
    }

    /// A bucket ListBuckets just showed: tags and versioning side by side; the region stays as recorded.
    private func observeListed(id: String, prior: [String: Value], session: AWSSession) async throws -> [String: Value]? {
        try await Self.naming(id) {
            async let tags = Self.tags(of: id, session: session)
            async let versioned = Self.isVersioned(id, session: session)
            guard let tags = try await tags, let versioned = try await versioned else { return nil }
            let region = prior["region"]?.stringValue ?? session.configuration.region
            return Self.attributes(name: id, tags: tags, isVersioned: versioned,
                                   forceDestroy: prior["force_destroy"]?.boolValue ?? false, region: region)
        }
    }
}
