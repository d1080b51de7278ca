import ProviderKit
import TendModel

/// `aws_instance`: one EC2 instance.
///
/// Create is find-or-launch: an instance carrying this stack's and address's tend tags is reused, otherwise
/// RunInstances launches one with a `ClientToken` derived from stack and address, so a retried launch never
/// makes two. A change of `instance_type` is an update: stop, ModifyInstanceAttribute, start again (if it was
/// running). A terminated or terminating instance observes as gone.
struct EC2Instance: AWSResourceType {
    let schema = ResourceSchema(type: "aws_instance", description: "An EC2 virtual machine.", attributes: [
        "ami": AttributeSchema(.string, .required, forceNew: true, description: "The image the instance boots."),
        "instance_type": AttributeSchema(.string, .required, description: "The size, e.g. t3.micro; changing it stops and restarts the instance."),
        "subnet_id": AttributeSchema(.string, .optionalComputed, forceNew: true, description: "The subnet; the default one when unset."),
        "vpc_security_group_ids": AttributeSchema(.set(.string), .optionalComputed,
                                                  description: "Security groups; the VPC's default group when unset."),
        "tags": AttributeSchema(.map(.string), .optional, description: "Tags; tend's own tend:* tags are not shown."),
        "id": AttributeSchema(.string, .computed, description: "The instance id."),
        "arn": AttributeSchema(.string, .computed, description: "arn:aws:ec2:REGION:ACCOUNT:instance/ID."),
        "private_ip": AttributeSchema(.string, .computed, description: "The primary private IPv4 address."),
        "instance_state": AttributeSchema(.string, .computed, description: "pending, running, stopping or stopped.",
                                          volatile: true),
    ])

    /// States of an instance that is gone or going.
    static let goneStates: Set<String> = ["terminated", "shutting-down"]

    /// States tend can still manage: the filter for finding a live instance by its tags.
    static let liveStates = ["pending", "running", "stopping", "stopped"]

    func subject(_ name: String) -> String { "aws_instance \(name)" }

    func observe(id: String, prior: [String: Value], scope: ReadScope, session: AWSSession) async throws -> [String: Value]? {
        try await observe(priors: [id: prior], scope: scope, session: session)?[id]
    }

    /// One describe carries every attribute, so the scope changes nothing.
    func observe(priors: [String: [String: Value]], scope: ReadScope, session: AWSSession) async throws -> [String: [String: Value]]? {
        guard !priors.isEmpty else { return [:] }
        let ids = Array(priors.keys)
        let pages = try await EC2API.describe(session, "DescribeInstances", ids: ids, idParameter: "InstanceId", filterName: "instance-id",
                                              subject: subject(ids.count == 1 ? ids[0] : "(\(ids.count) instances)"))
        var out: [String: [String: Value]] = [:]
        for (item, owner) in pages.flatMap(instances) where !Self.goneStates.contains(item.path("instanceState", "name")?.text ?? "") {
            guard let id = item.string("instanceId") else { continue }
            out[id] = attributes(of: item, owner: owner, session: session)
        }
        return out
    }

    func create(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject {
        if let found = try await recover(address: address, desired: desired, tags: tags, session: session) {
            let attributes = try await update(id: found.id, current: found.attributes, desired: desired, session: session)
            return CreatedObject(id: found.id, attributes: attributes)
        }
        let name = subject(address.description)
        var parameters = EC2Tags.specification(resourceType: "instance", user: EC2Tags.declared(desired), tend: tags)
        parameters["ImageId"] = try EC2Values.required(desired, "ami", subject: name)
        parameters["InstanceType"] = try EC2Values.required(desired, "instance_type", subject: name)
        parameters["MinCount"] = "1"
        parameters["MaxCount"] = "1"
        parameters["ClientToken"] = Self.clientToken(tags)
        parameters["SubnetId"] = EC2Values.string(desired, "subnet_id")
        for (index, group) in (EC2Values.stringSet(desired, "vpc_security_group_ids") ?? []).enumerated() {
            parameters["SecurityGroupId.\(index + 1)"] = group
        }
        let response = try await EC2API.call(session, "RunInstances", parameters, subject: name)
        guard let item = response.child("instancesSet")?.items.first, let id = item.string("instanceId") else {
            throw ProviderError(.failed, "\(name): RunInstances returned no instance id")
        }
        return CreatedObject(id: id, attributes: attributes(of: item, owner: response.string("ownerId"), session: session))
    }

    func delete(id: String, current: [String: Value], session: AWSSession) async throws {
        try await EC2API.delete(session, "TerminateInstances", ["InstanceId.1": id], subject: subject(id))
    }

    func recover(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject? {
        var parameters = EC2API.tagFilters(tags)
        parameters.merge(EC2API.filter(tags.count + 1, "instance-state-name", Self.liveStates)) { a, _ in a }
        let pages = try await EC2API.describeAll(session, "DescribeInstances", parameters, subject: subject(address.description))
        let live = pages.flatMap(instances).filter { !Self.goneStates.contains($0.item.path("instanceState", "name")?.text ?? "") }
        guard let item = try EC2API.single(live.map(\.item), tagged: tags, idKey: "instanceId", subject: subject(address.description)),
              let id = item.string("instanceId") else { return nil }
        let owner = live.first { $0.item.string("instanceId") == id }?.owner
        return CreatedObject(id: id, attributes: attributes(of: item, owner: owner, session: session))
    }

    func list(session: AWSSession) async throws -> [String] {
        let pages = try await EC2API.describeAll(session, "DescribeInstances", EC2API.filter(1, "instance-state-name", Self.liveStates),
                                                 subject: "aws_instance")
        return pages.flatMap(instances).filter { !Self.goneStates.contains($0.item.path("instanceState", "name")?.text ?? "") }
            .compactMap { $0.item.string("instanceId") }.sorted()
    }

    // MARK: - Reading

    /// A RunInstances idempotency token from the stack and address: hex SHA-256, 64 characters (AWS's limit).
    static func clientToken(_ tags: [String: String]) -> String {
        let seed = "\(tags["tend:stack"] ?? "")\n\(tags["tend:address"] ?? "")"
        return String(AWSCrypto.hex(AWSCrypto.sha256(Array(seed.utf8))).prefix(64))
    }

    /// Every instance of a page with its reservation's owner.
    func instances(_ page: XMLNode) -> [(item: XMLNode, owner: String?)] {
        (page.child("reservationSet")?.items ?? []).flatMap { reservation in
            (reservation.child("instancesSet")?.items ?? []).map { ($0, reservation.string("ownerId")) }
        }
    }

    func attributes(of item: XMLNode, owner: String?, session: AWSSession) -> [String: Value] {
        let id = item.string("instanceId") ?? ""
        var groups = (item.child("groupSet")?.items ?? []).compactMap { $0.string("groupId") }
        if groups.isEmpty, let primary = item.child("networkInterfaceSet")?.items.first {
            groups = (primary.child("groupSet")?.items ?? []).compactMap { $0.string("groupId") }
        }
        return [
            "id": .string(id),
            "arn": EC2API.arn(session: session, owner: owner, kind: "instance", id: id),
            "ami": .string(item.string("imageId") ?? ""),
            "instance_type": .string(item.string("instanceType") ?? ""),
            "subnet_id": item.string("subnetId").map(Value.string) ?? .null,
            "vpc_security_group_ids": EC2Values.set(groups),
            "private_ip": item.string("privateIpAddress").map(Value.string) ?? .null,
            "instance_state": .string(item.path("instanceState", "name")?.text ?? ""),
            "tags": EC2Tags.userTags(of: item),
        ]
    }
}
