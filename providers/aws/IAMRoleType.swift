import ProviderKit
import TendModel

/// `aws_iam_role`: an IAM role with its trust policy, description, session length and tags. The id is the role name.
///
/// The trust policy compares as JSON. Creating a role that exists already adopts it only when its tend tags
/// name this address and stack (a retried create); any other existing role is a conflict.
struct IAMRoleType: AWSResourceType {
    static let version = "2010-05-08"

    let schema = ResourceSchema(type: "aws_iam_role", description: "An IAM role.", attributes: [
        "name": AttributeSchema(.string, .required, forceNew: true, description: "The role's name, unique in the account."),
        "path": AttributeSchema(.string, .optional, forceNew: true, default: .string("/"), description: "The role's path."),
        "assume_role_policy": AttributeSchema(.string, .required, normalisation: .json, description: "The trust policy, a JSON document."),
        "description": AttributeSchema(.string, .optional, description: "What the role is for."),
        "max_session_duration": AttributeSchema(.number, .optional, default: .number(3600), description: "Longest session in seconds, 3600 to 43200.",
                                               constraint: .integer(3600...43200)),
        "tags": AttributeSchema(.map(.string), .optional, description: "Tags on the role; tend adds tend:stack and tend:address."),
        "arn": AttributeSchema(.string, .computed, description: "The role's ARN."),
        "unique_id": AttributeSchema(.string, .computed, description: "The stable id IAM gives the role (AROA…)."),
        "create_date": AttributeSchema(.string, .computed, description: "When the role was created, as IAM reports it."),
    ])

    func plan(_ desired: [String: Value], session: AWSSession) async throws -> [String: Value] {
        var planned = desired
        for (name, attribute) in schema.attributes {
            if planned[name] == nil || planned[name] == .null, let fallback = attribute.defaultValue { planned[name] = fallback }
        }
        if let policy = desired["assume_role_policy"]?.stringValue {
            try IAMPolicyDocument.validate(policy, attribute: "assume_role_policy", role: desired["name"]?.stringValue ?? "?")
        }
        return planned
    }

    func create(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject {
        let name = try Self.roleName(desired)
        let policy = desired["assume_role_policy"]?.stringValue ?? ""
        try IAMPolicyDocument.validate(policy, attribute: "assume_role_policy", role: name)
        var parameters = ["RoleName": name, "Path": desired["path"]?.stringValue ?? "/", "AssumeRolePolicyDocument": policy]
        if let description = desired["description"]?.stringValue { parameters["Description"] = description }
        if let duration = desired["max_session_duration"]?.numberValue { parameters["MaxSessionDuration"] = duration.description }
        let allTags = AWSProvider.userTags(AWSProvider.declaredTags(desired)).merging(tags) { _, tend in tend }
        parameters.merge(Self.tagParameters(allTags)) { _, new in new }
        do {
            let document = try await Self.call("CreateRole", parameters, role: name, session: session)
            guard let node = document.path("CreateRoleResult", "Role"), var role = IAMRole(node) else {
                throw ProviderError(.failed, "aws_iam_role \"\(name)\": iam:CreateRole returned no role")
            }
            role.tags = allTags
            return CreatedObject(id: name, attributes: role.attributes(prior: desired))
        } catch let error as ProviderError where error.remoteCode == "EntityAlreadyExists" {
            return try await adopt(name, desired: desired, tags: tags, session: session, error: error)
        }
    }

    /// A retried create: the role exists; take it over when tend created it for this address, else rethrow.
    private func adopt(_ name: String, desired: [String: Value], tags: [String: String], session: AWSSession,
                       error: ProviderError) async throws -> CreatedObject {
        guard let existing = try await Self.role(name, session: session) else { throw error }
        let existingTags = existing.tags ?? [:]
        guard existingTags["tend:address"] == tags["tend:address"], existingTags["tend:stack"] == tags["tend:stack"] else {
            throw ProviderError(.conflict, "aws_iam_role \"\(name)\": a role of that name exists already and tend did not create it for "
                                + (tags["tend:address"] ?? "this resource"), remoteCode: "EntityAlreadyExists")
        }
        let attributes = try await update(id: name, current: existing.attributes(prior: desired), desired: desired, session: session)
        return CreatedObject(id: name, attributes: attributes)
    }

    func update(id: String, current: [String: Value], desired: [String: Value], session: AWSSession) async throws -> [String: Value] {
        let description = desired["description"]?.stringValue ?? ""
        let duration = desired["max_session_duration"]?.numberValue ?? 3600
        if description != (current["description"]?.stringValue ?? "") || duration != (current["max_session_duration"]?.numberValue ?? 3600) {
            _ = try await Self.call("UpdateRole", ["RoleName": id, "Description": description,
                                                   "MaxSessionDuration": duration.description], role: id, session: session)
        }
        let policy = desired["assume_role_policy"]?.stringValue ?? ""
        if !IAMPolicyDocument.isEquivalent(policy, current["assume_role_policy"]?.stringValue ?? "") {
            try IAMPolicyDocument.validate(policy, attribute: "assume_role_policy", role: id)
            _ = try await Self.call("UpdateAssumeRolePolicy", ["RoleName": id, "PolicyDocument": policy], role: id, session: session)
        }
        try await updateTags(id, from: AWSProvider.userTags(AWSProvider.declaredTags(current)),
                             to: AWSProvider.userTags(AWSProvider.declaredTags(desired)), session: session)
        guard let role = try await Self.role(id, session: session) else {
            throw ProviderError(.failed, "aws_iam_role \"\(id)\": the role disappeared during update", remoteCode: "NoSuchEntity")
        }
        return role.attributes(prior: desired)
    }

    /// TagRole for added or changed user tags, UntagRole for removed ones; tend's tags are never touched.
    private func updateTags(_ id: String, from old: [String: String], to new: [String: String], session: AWSSession) async throws {
        let changed = new.filter { old[$0.key] != $0.value }
        if !changed.isEmpty {
            _ = try await Self.call("TagRole", ["RoleName": id].merging(Self.tagParameters(changed)) { _, new in new }, role: id, session: session)
        }
        let removed = old.keys.filter { new[$0] == nil }.sorted()
        if !removed.isEmpty {
            var parameters = ["RoleName": id]
            for (index, key) in removed.enumerated() { parameters["TagKeys.member.\(index + 1)"] = key }
            _ = try await Self.call("UntagRole", parameters, role: id, session: session)
        }
    }

    func delete(id: String, current: [String: Value], session: AWSSession) async throws {
        do {
            _ = try await Self.call("DeleteRole", ["RoleName": id], role: id, session: session)
        } catch let error as ProviderError where error.remoteCode == "NoSuchEntity" {
            return
        } catch var error as ProviderError where error.remoteCode == "DeleteConflict" {
            error.code = .conflict
            error.message += "; tend manages no policies or instance profiles on the role: detach or remove them, then delete again"
            throw error
        }
    }

    func recover(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject? {
        guard let name = desired["name"]?.stringValue, let role = try await Self.role(name, session: session) else { return nil }
        // CreateRole tags the role in the same call, so a role tend made for this address always says so.
        guard role.tags?["tend:address"] == tags["tend:address"], role.tags?["tend:stack"] == tags["tend:stack"] else {
            throw ProviderError(.conflict, "aws_iam_role \"\(name)\": a role of that name exists already and tend did not create it for "
                                + (tags["tend:address"] ?? "this resource"), remoteCode: "EntityAlreadyExists")
        }
        return CreatedObject(id: name, attributes: role.attributes(prior: desired))
    }

    func list(session: AWSSession) async throws -> [String] {
        try await listObjects(session: session).map(\.id)
    }

    /// Roles AWS makes and manages itself are its own, not somebody's unmanaged ones: service-linked roles (path
    /// `/aws-service-role/…`, made when a service is first used and deletable only through that service) and the roles
    /// IAM Identity Center keeps in each account (path `/aws-reserved/…`).
    func listObjects(session: AWSSession) async throws -> [ListedObject] {
        try await Self.listRoles(pathPrefix: nil, session: session)
            .map { ListedObject(id: $0.name, isDefault: Self.isAWSManaged(path: $0.path)) }
            .sorted { $0.id < $1.id }
    }

    /// Whether a role at `path` is one AWS made and manages.
    static func isAWSManaged(path: String) -> Bool {
        path.hasPrefix("/aws-service-role/") || path.hasPrefix("/aws-reserved/")
    }

    // MARK: - Calls

    /// One IAM Query call; errors name the role.
    static func call(_ action: String, _ parameters: [String: String], role: String, session: AWSSession) async throws -> XMLNode {
        do {
            return try await session.query(service: "iam", version: version, action: action, parameters: parameters)
        } catch var error as ProviderError {
            error.message = "aws_iam_role \"\(role)\": " + error.message
            throw error
        }
    }

    /// GetRole, tags included; nil when there is no such role.
    static func role(_ name: String, session: AWSSession) async throws -> IAMRole? {
        do {
            let document = try await call("GetRole", ["RoleName": name], role: name, session: session)
            guard let node = document.path("GetRoleResult", "Role"), var role = IAMRole(node) else { return nil }
            if role.tags == nil { role.tags = [:] }
            return role
        } catch let error as ProviderError where error.remoteCode == "NoSuchEntity" {
            return nil
        }
    }

    /// `Tags.member.N.Key` / `.Value` parameters, sorted by key.
    static func tagParameters(_ tags: [String: String]) -> [String: String] {
        var parameters: [String: String] = [:]
        for (index, key) in tags.keys.sorted().enumerated() {
            parameters["Tags.member.\(index + 1).Key"] = key
            parameters["Tags.member.\(index + 1).Value"] = tags[key] ?? ""
        }
        return parameters
    }

    static func roleName(_ desired: [String: Value]) throws -> String {
        guard let name = desired["name"]?.stringValue, !name.isEmpty else {
            throw ProviderError(.invalidInput, "aws_iam_role: name must be a known, non-empty string")
        }
        return name
    }
}
