import Foundation
import ProviderKit
import TendHTTP
import TendModel

extension S3BucketType {
    /// How recently (by S3's own clock) an untagged bucket must have been created to count as the one a create
    /// of ours made before its answer was lost: S3 cannot tag a bucket in the CreateBucket call, so for a moment
    /// the bucket exists without tend's tags.
    static let untaggedAdoptionWindow: Double = 600

    /// Finds the bucket a create whose outcome is unknown may have made: by name, adopted when its tend tags name
    /// this address and stack. A bucket with another address's tags is a conflict. A bucket without tend tags is
    /// adopted (and tagged) only when S3 says it was created in the last ten minutes; an older one is a conflict.
    /// Nil when there is no bucket of that name.
    func recover(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject? {
        guard let name = desired["bucket"]?.stringValue, S3BucketName.problem(with: name) == nil else { return nil }
        return try await Self.naming(name) {
            guard let existing = try await Self.tags(of: name, session: session) else { return nil }
            if existing["tend:address"] != tags["tend:address"] || existing["tend:stack"] != tags["tend:stack"] {
                try await Self.checkOwnership(name, existing: existing, tags: tags, mayBeOlder: true, session: session)
                try await Self.putTags(existing.merging(AWSProvider.userTags(AWSProvider.declaredTags(desired))) { _, declared in declared }
                    .merging(tags) { _, tend in tend }, on: name, session: session)
            }
            guard let observed = try await observe(id: name, prior: desired, session: session) else { return nil }
            return CreatedObject(id: name, attributes: observed)
        }
    }

    /// Throws a conflict unless the bucket is tend's for `tags`: its tend tags name this address and stack, or it
    /// has no tend tags and is new (made by this create, or, when `mayBeOlder`, created within the window).
    static func checkOwnership(_ name: String, existing: [String: String], tags: [String: String], mayBeOlder: Bool,
                               session: AWSSession) async throws {
        if existing["tend:address"] == tags["tend:address"], existing["tend:stack"] == tags["tend:stack"] { return }
        if let owner = existing["tend:address"] {
            throw ProviderError(.conflict, "the bucket exists already and belongs to \(owner) in stack \(existing["tend:stack"] ?? "?")",
                                remoteCode: "BucketAlreadyOwnedByYou")
        }
        guard mayBeOlder else { return }
        guard try await wasCreatedRecently(name, session: session) else {
            throw ProviderError(.conflict, "the bucket exists already and carries no tend tags, so tend did not create it for "
                                + "\(tags["tend:address"] ?? "this resource"); import it, or delete it", remoteCode: "BucketAlreadyOwnedByYou")
        }
    }

    /// Whether ListBuckets says the bucket was created within `untaggedAdoptionWindow` of the response's own
    /// `Date` (so the local clock never matters); false when it does not list the bucket or either time is unreadable.
    static func wasCreatedRecently(_ name: String, session: AWSSession) async throws -> Bool {
        var token: String?
        repeat {
            var query = ["prefix": name]
            if let token { query["continuation-token"] = token }
            let response = try await session.rest(service: "s3", method: "GET", path: "/", query: query, operation: "s3:ListBuckets")
            let document = try parse(response, operation: "s3:ListBuckets")
            let bucket = document.child("Buckets")?.children("Bucket").first { $0.string("Name") == name }
            if let bucket {
                guard let created = bucket.string("CreationDate").flatMap(isoDate),
                      let now = response.header("date").flatMap(httpDate) else { return false }
                return now.timeIntervalSince(created) < untaggedAdoptionWindow
            }
            token = document.string("ContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return false
    }

    /// An ISO 8601 time such as `2026-11-29T20:02:19.000Z`, with or without fractional seconds.
    static func isoDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// An HTTP date such as `Sun, 29 Nov 2026 20:02:19 GMT`.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
