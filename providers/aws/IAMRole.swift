import TendModel

/// One IAM role as a Role or RoleDetail element describes it.
struct IAMRole: Sendable, Hashable {
    var name: String
    var path: String
    var arn: String
    var uniqueID: String
    var createDate: String
    /// The trust policy, decoded from IAM's URL encoding.
    var assumeRolePolicy: String
    var description: String?
    var maxSessionDuration: Int?
    /// Every tag, tend's included; nil when the element carried none (ListRoles never does).
    var tags: [String: String]?

    /// Reads a `Role` (GetRole, CreateRole) or `member` (ListRoles, GetAccountAuthorizationDetails) element.
    init?(_ node: XMLNode) {
        guard let name = node.string("RoleName"), !name.isEmpty else { return nil }
        self.name = name
        path = node.string("Path") ?? "/"
        arn = node.string("Arn") ?? ""
        uniqueID = node.string("RoleId") ?? ""
        createDate = node.string("CreateDate") ?? ""
        assumeRolePolicy = IAMPolicyDocument.decode(node.string("AssumeRolePolicyDocument") ?? "")
        description = node.string("Description")
        maxSessionDuration = node.string("MaxSessionDuration").flatMap { Int($0) }
        tags = node.child("Tags").map(Self.tags(in:))
    }

    /// The `Key`/`Value` pairs of a `Tags` element.
    static func tags(in node: XMLNode) -> [String: String] {
        var tags: [String: String] = [:]
        for member in node.items {
            if let key = member.string("Key") { tags[key] = member.string("Value") ?? "" }
        }
        return tags
    }

    /// The role's attributes. The policy keeps `prior`'s text when it is the same JSON; `tags` excludes tend's.
    func attributes(prior: [String: Value]) -> [String: Value] {
        var attributes: [String: Value] = [
            "name": .string(name), "path": .string(path), "arn": .string(arn), "unique_id": .string(uniqueID),
            "create_date": .string(createDate),
            "assume_role_policy": .string(IAMPolicyDocument.preferring(prior["assume_role_policy"]?.stringValue, over: assumeRolePolicy)),
            "max_session_duration": .number(Number(maxSessionDuration ?? 3600)),
            "tags": AWSProvider.tagsValue(AWSProvider.userTags(tags ?? [:])),
        ]
        if let description, !description.isEmpty {
            attributes["description"] = .string(description)
        } else if prior["description"] == .string("") {
            attributes["description"] = .string("")
        }
        return attributes
    }
}
