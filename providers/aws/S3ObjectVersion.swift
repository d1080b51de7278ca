/// One object version in a bucket: the key and, for versioned buckets, the version id (delete markers included).
struct S3ObjectVersion: Sendable, Hashable {
    var key: String
    var versionID: String?
}
