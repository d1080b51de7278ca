import ProviderKit
import TendModel

/// `aws_subnet`: a subnet of a VPC in one availability zone. Every attribute comes back from DescribeSubnets,
/// so a bulk read is one call per 200 subnets.
struct EC2Subnet: AWSResourceType {
    let schema = ResourceSchema(type: "aws_subnet", description: "A subnet of an EC2 VPC.", attributes: [
        "vpc_id": AttributeSchema(.string, .required, forceNew: true, description: "The VPC the subnet belongs to."),
        "cidr_block": AttributeSchema(.string, .required, forceNew: true, description: "The IPv4 range, inside the VPC's."),
        "availability_zone": AttributeSchema(.string, .optionalComputed, forceNew: true, description: "The zone; AWS picks one when unset."),
        "map_public_ip_on_launch": AttributeSchema(.bool, .optional, default: .bool(false),
                                                   description: "Whether instances launched here get a public IPv4 address."),
        "tags": AttributeSchema(.map(.string), .optional, description: "Tags; tend's own tend:* tags are not shown."),
        "id": AttributeSchema(.string, .computed, description: "The subnet id."),
        "arn": AttributeSchema(.string, .computed, description: "arn:aws:ec2:REGION:ACCOUNT:subnet/ID."),
    ])

    private func subject(_ name: String) -> String { "aws_subnet \(name)" }

    func observe(id: String, prior: [String: Value], scope: ReadScope, session: AWSSession) async throws -> [String: Value]? {
        try await observe(priors: [id: prior], scope: scope, session: session)?[id]
    }

    /// One describe carries every attribute, so the scope changes nothing.
    func observe(priors: [String: [String: Value]], scope: ReadScope, session: AWSSession) async throws -> [String: [String: Value]]? {
        guard !priors.isEmpty else { return [:] }
        let ids = Array(priors.keys)
        let pages = try await EC2API.describe(session, "DescribeSubnets", ids: ids, idParameter: "SubnetId", filterName: "subnet-id",
                                              subject: subject(ids.count == 1 ? ids[0] : "(\(ids.count) subnets)"))
        var out: [String: [String: Value]] = [:]
        for item in pages.flatMap(items) {
            guard let id = item.string("subnetId") else { continue }
            out[id] = attributes(of: item, session: session)
        }
        return out
    }

    func create(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject {
        let name = subject(address.description)
        if let item = try await EC2API.earlierCopy(session, "DescribeSubnets", tags: tags, items: { page in self.items(page) },
                                                   idKey: "subnetId", subject: name),
           let id = item.string("subnetId") {
            return CreatedObject(id: id, attributes: try await update(id: id, current: attributes(of: item, session: session), desired: desired,
                                                                      session: session))
        }
        var parameters = EC2Tags.specification(resourceType: "subnet", user: EC2Tags.declared(desired), tend: tags)
        parameters["VpcId"] = try EC2Values.required(desired, "vpc_id", subject: name)
        parameters["CidrBlock"] = try EC2Values.required(desired, "cidr_block", subject: name)
        parameters["AvailabilityZone"] = EC2Values.string(desired, "availability_zone")
        let response: XMLNode
        do {
            response = try await EC2API.call(session, "CreateSubnet", parameters, subject: name)
        } catch let error as ProviderError where error.remoteCode == "InvalidSubnet.Conflict" {
            // The CIDR block is taken in this VPC: by this subnet, made by a create whose answer was lost (adopt it),
            // or by another one (a conflict naming it).
            var filters = EC2API.filter(1, "vpc-id", [parameters["VpcId"] ?? ""])
            filters.merge(EC2API.filter(2, "cidr-block", [parameters["CidrBlock"] ?? ""])) { a, _ in a }
            guard let item = try await EC2API.owned(session, "DescribeSubnets", filters: filters, items: items, idKey: "subnetId",
                                                    tags: tags, subject: name, error: error),
                  let id = item.string("subnetId") else { throw error }
            let attributes = try await update(id: id, current: attributes(of: item, session: session), desired: desired, session: session)
            return CreatedObject(id: id, attributes: attributes)
        }
        guard let item = response.child("subnet"), let id = item.string("subnetId") else {
            throw ProviderError(.failed, "\(name): CreateSubnet returned no subnet id")
        }
        var attributes = attributes(of: item, session: session)
        let mapPublic = EC2Values.bool(desired, "map_public_ip_on_launch", default: false)
        if attributes["map_public_ip_on_launch"] != .bool(mapPublic) {
            try await setMapPublicIP(mapPublic, id: id, session: session)
            attributes["map_public_ip_on_launch"] = .bool(mapPublic)
        }
        return CreatedObject(id: id, attributes: attributes)
    }

    func update(id: String, current: [String: Value], desired: [String: Value], session: AWSSession) async throws -> [String: Value] {
        let mapPublic = EC2Values.bool(desired, "map_public_ip_on_launch", default: false)
        if EC2Values.bool(current, "map_public_ip_on_launch", default: false) != mapPublic {
            try await setMapPublicIP(mapPublic, id: id, session: session)
        }
        try await EC2Tags.update(session, id: id, current: current, desired: desired, subject: subject(id))
        guard let observed = try await observe(id: id, prior: desired, session: session) else {
            throw ProviderError(.failed, "\(subject(id)): the subnet disappeared during the update", remoteCode: "InvalidSubnetID.NotFound")
        }
        return observed
    }

    func delete(id: String, current: [String: Value], session: AWSSession) async throws {
        try await EC2API.delete(session, "DeleteSubnet", ["SubnetId": id], subject: subject(id))
    }

    func recover(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject? {
        let name = subject(address.description)
        guard let item = try await EC2API.taggedCopy(session, "DescribeSubnets", tags: tags, items: items, idKey: "subnetId", subject: name),
              let id = item.string("subnetId") else { return nil }
        return CreatedObject(id: id, attributes: attributes(of: item, session: session))
    }

    func list(session: AWSSession) async throws -> [String] {
        try await listObjects(session: session).map(\.id)
    }

    /// The default VPC's subnets (`defaultForAz`) are AWS's own.
    func listObjects(session: AWSSession) async throws -> [ListedObject] {
        try await EC2API.describeAll(session, "DescribeSubnets", [:], subject: "aws_subnet").flatMap(items)
            .compactMap { item in item.string("subnetId").map { ListedObject(id: $0, isDefault: item.string("defaultForAz") == "true") } }
            .sorted { $0.id < $1.id }
    }

    // MARK: - Reading and writing

    private func items(_ page: XMLNode) -> [XMLNode] { page.child("subnetSet")?.items ?? [] }

    private func attributes(of item: XMLNode, session: AWSSession) -> [String: Value] {
        let id = item.string("subnetId") ?? ""
        return [
            "id": .string(id),
            "arn": EC2API.arn(session: session, owner: item.string("ownerId"), kind: "subnet", id: id),
            "vpc_id": .string(item.string("vpcId") ?? ""),
            "cidr_block": .string(item.string("cidrBlock") ?? ""),
            "availability_zone": .string(item.string("availabilityZone") ?? ""),
            "map_public_ip_on_launch": EC2API.bool(item.string("mapPublicIpOnLaunch"), default: false),
            "tags": EC2Tags.userTags(of: item),
        ]
    }

    private func setMapPublicIP(_ flag: Bool, id: String, session: AWSSession) async throws {
        _ = try await EC2API.call(session, "ModifySubnetAttribute", ["SubnetId": id, "MapPublicIpOnLaunch.Value": String(flag)],
                                  subject: subject(id))
    }
}
