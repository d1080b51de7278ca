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

    /// S3 has no batch describe: single reads fanned out, at most `AWSProvider.readFanOut` buckets at a time.
    func observe(priors: [String: [String: Value]], session: AWSSession) async throws -> [String: [String: Value]]? {
        let ids = priors.keys.sorted()
        let observed = try await AWSProvider.boundedMap(ids) { id in
            (id, try await self.observe(id: id, prior: priors[id] ?? [:], session: session))
        }
        var byID: [String: [String: Value]] = [:]
        for (id, attributes) in observed {
            if let attributes { byID[id] = attributes }
        }
        return byID
    }
}
