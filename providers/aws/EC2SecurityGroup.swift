import ProviderKit
import TendModel

/// `aws_security_group`: a VPC security group and its IPv4 ingress and egress rules, compared as sets.
///
/// `egress` is managed only when declared: then AWS's default allow-all egress rule is revoked unless it is
/// declared too. When it is not declared, observe leaves it out (it knows from the prior record) and update
/// never touches egress rules.
struct EC2SecurityGroup: AWSResourceType {
    let schema = ResourceSchema(type: "aws_security_group", description: "An EC2 security group in a VPC.", attributes: [
        "name": AttributeSchema(.string, .required, forceNew: true, description: "The group name, unique in the VPC."),
        "description": AttributeSchema(.string, .optional, forceNew: true, default: .string("Managed by tend"),
                                       description: "The group description."),
        "vpc_id": AttributeSchema(.string, .required, forceNew: true, description: "The VPC the group belongs to."),
        "ingress": AttributeSchema(.set(EC2SecurityGroupRule.objectType), .optional,
                                   description: "Inbound rules: protocol, from_port, to_port, cidr_blocks, description.",
                                   constraint: EC2SecurityGroupRule.constraint),
        "egress": AttributeSchema(.set(EC2SecurityGroupRule.objectType), .optional,
                                  description: "Outbound rules; when unset, egress is not managed.",
                                  constraint: EC2SecurityGroupRule.constraint),
        "tags": AttributeSchema(.map(.string), .optional, description: "Tags; tend's own tend:* tags are not shown."),
        "id": AttributeSchema(.string, .computed, description: "The group id."),
        "arn": AttributeSchema(.string, .computed, description: "arn:aws:ec2:REGION:ACCOUNT:security-group/ID."),
    ])

    func subject(_ name: String) -> String { "aws_security_group \(name)" }

    /// Rules in their canonical form, so a plan compares exactly with what observe reports; a CIDR block that is
    /// not IPv4 CIDR notation is invalid input before anything is sent.
    func plan(_ desired: [String: Value], session: AWSSession) async throws -> [String: Value] {
        var planned = desired
        for key in ["ingress", "egress"] {
            guard let value = desired[key], value != .null else { continue }
            if let (path, reason) = EC2SecurityGroupRule.constraint.violations(in: value, at: AttributePath(keys: key)).first {
                throw ProviderError(.invalidInput, "aws_security_group \(EC2Values.string(desired, "name") ?? ""): invalid \(path): \(reason)")
            }
            let rules = EC2SecurityGroupRule.declared(value)
            if let bad = rules.map(\.cidrBlock).sorted().first(where: { !EC2SecurityGroupRule.isIPv4CIDR($0) }) {
                throw ProviderError(.invalidInput, "aws_security_group \(EC2Values.string(desired, "name") ?? ""): \(key) CIDR block \"\(bad)\" is not IPv4 CIDR notation such as 10.0.0.0/16")
            }
            planned[key] = EC2SecurityGroupRule.value(of: rules)
        }
        return planned
    }

    func observe(id: String, prior: [String: Value], scope: ReadScope, session: AWSSession) async throws -> [String: Value]? {
        try await observe(priors: [id: prior], scope: scope, session: session)?[id]
    }

    /// One describe carries every attribute, so the scope changes nothing.
    func observe(priors: [String: [String: Value]], scope: ReadScope, session: AWSSession) async throws -> [String: [String: Value]]? {
        var out: [String: [String: Value]] = [:]
        for item in try await describe(Array(priors.keys), session: session) {
            guard let id = item.string("groupId") else { continue }
            out[id] = attributes(of: item, includingEgress: Self.managesEgress(priors[id] ?? [:]), session: session)
        }
        return out
    }

    func create(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject {
        let name = subject(address.description)
        if let item = try await EC2API.earlierCopy(session, "DescribeSecurityGroups", tags: tags, items: { page in self.items(page) },
                                                   idKey: "groupId", subject: name),
           let id = item.string("groupId") {
            let current = attributes(of: item, includingEgress: Self.managesEgress(desired), session: session)
            return CreatedObject(id: id, attributes: try await update(id: id, current: current, desired: desired, session: session))
        }
        var parameters = EC2Tags.specification(resourceType: "security-group", user: EC2Tags.declared(desired), tend: tags)
        parameters["GroupName"] = try EC2Values.required(desired, "name", subject: name)
        parameters["GroupDescription"] = EC2Values.string(desired, "description") ?? "Managed by tend"
        parameters["VpcId"] = try EC2Values.required(desired, "vpc_id", subject: name)
        let response: XMLNode
        do {
            response = try await EC2API.call(session, "CreateSecurityGroup", parameters, subject: name)
        } catch let error as ProviderError where error.remoteCode == "InvalidGroup.Duplicate" {
            // The name is taken in this VPC: by this group, made by a create whose answer was lost (adopt it and
            // converge its rules), or by another one (a conflict naming it).
            var filters = EC2API.filter(1, "vpc-id", [parameters["VpcId"] ?? ""])
            filters.merge(EC2API.filter(2, "group-name", [parameters["GroupName"] ?? ""])) { a, _ in a }
            guard let item = try await EC2API.owned(session, "DescribeSecurityGroups", filters: filters, items: items, idKey: "groupId",
                                                    tags: tags, subject: name, error: error),
                  let id = item.string("groupId") else { throw error }
            let current = attributes(of: item, includingEgress: Self.managesEgress(desired), session: session)
            return CreatedObject(id: id, attributes: try await update(id: id, current: current, desired: desired, session: session))
        }
        guard let id = response.string("groupId") else {
            throw ProviderError(.failed, "\(name): CreateSecurityGroup returned no group id")
        }
        return CreatedObject(id: id, attributes: try await converge(id: id, desired: desired, fresh: true, session: session))
    }

    func update(id: String, current: [String: Value], desired: [String: Value], session: AWSSession) async throws -> [String: Value] {
        try await EC2Tags.update(session, id: id, current: current, desired: desired, subject: subject(id))
        return try await converge(id: id, desired: desired, session: session)
    }

    func delete(id: String, current: [String: Value], session: AWSSession) async throws {
        try await EC2API.delete(session, "DeleteSecurityGroup", ["GroupId": id], subject: subject(id))
    }

    func recover(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject? {
        let name = subject(address.description)
        guard let item = try await EC2API.taggedCopy(session, "DescribeSecurityGroups", tags: tags, items: items, idKey: "groupId",
                                                     subject: name),
              let id = item.string("groupId") else { return nil }
        return CreatedObject(id: id, attributes: attributes(of: item, includingEgress: Self.managesEgress(desired), session: session))
    }

    func list(session: AWSSession) async throws -> [String] {
        try await listObjects(session: session).map(\.id)
    }

    /// Every VPC's group named `default` is AWS's own: it comes with the VPC and cannot be deleted.
    func listObjects(session: AWSSession) async throws -> [ListedObject] {
        try await EC2API.describeAll(session, "DescribeSecurityGroups", [:], subject: "aws_security_group").flatMap(items)
            .compactMap { item in item.string("groupId").map { ListedObject(id: $0, isDefault: item.string("groupName") == "default") } }
            .sorted { $0.id < $1.id }
    }

    // MARK: - Reading

    /// Whether attributes (desired or recorded) declare egress rules, so egress is tend's to manage.
    static func managesEgress(_ attributes: [String: Value]) -> Bool {
        attributes["egress"].map { $0 != .null } ?? false
    }

    func items(_ page: XMLNode) -> [XMLNode] { page.child("securityGroupInfo")?.items ?? [] }

    func describe(_ ids: [String], session: AWSSession) async throws -> [XMLNode] {
        guard !ids.isEmpty else { return [] }
        return try await EC2API.describe(session, "DescribeSecurityGroups", ids: ids, idParameter: "GroupId", filterName: "group-id",
                                         subject: subject(ids.count == 1 ? ids[0] : "(\(ids.count) groups)")).flatMap(items)
    }

    func attributes(of item: XMLNode, includingEgress: Bool, session: AWSSession) -> [String: Value] {
        let id = item.string("groupId") ?? ""
        var attributes: [String: Value] = [
            "id": .string(id),
            "arn": EC2API.arn(session: session, owner: item.string("ownerId"), kind: "security-group", id: id),
            "name": .string(item.string("groupName") ?? ""),
            "description": .string(item.string("groupDescription") ?? ""),
            "vpc_id": .string(item.string("vpcId") ?? ""),
            "ingress": EC2SecurityGroupRule.value(of: EC2SecurityGroupRule.observed(item.child("ipPermissions"))),
            "tags": EC2Tags.userTags(of: item),
        ]
        if includingEgress {
            attributes["egress"] = EC2SecurityGroupRule.value(of: EC2SecurityGroupRule.observed(item.child("ipPermissionsEgress")))
        }
        return attributes
    }
}
