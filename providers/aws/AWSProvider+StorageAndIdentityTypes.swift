extension AWSProvider {
    /// S3 and IAM types: aws_s3_bucket, aws_iam_role.
    static var storageAndIdentityTypes: [any AWSResourceType] { [] }
}
