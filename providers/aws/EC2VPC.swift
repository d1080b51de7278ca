import ProviderKit
import TendModel

/// `aws_vpc`: a VPC with its DNS settings and tags.
///
/// Reads take one DescribeVpcs call per 200 VPCs. DescribeVpcs does not carry the DNS settings and EC2 reads them
/// one attribute of one VPC per DescribeVpcAttribute, so a read asks for a setting only where its scope holds it
/// (the configuration declares it, or is not known); elsewhere the setting is reported as last recorded.
struct EC2VPC: AWSResourceType {
    let schema = ResourceSchema(type: "aws_vpc", description: "An EC2 virtual private cloud.", attributes: [
        "cidr_block": AttributeSchema(.string, .required, forceNew: true, description: "The IPv4 range, e.g. 10.0.0.0/16."),
        "enable_dns_support": AttributeSchema(.bool, .optional, default: .bool(true), description: "Whether the Amazon DNS server answers in the VPC."),
        "enable_dns_hostnames": AttributeSchema(.bool, .optional, default: .bool(false), description: "Whether instances get public DNS names."),
        "tags": AttributeSchema(.map(.string), .optional, description: "Tags; tend's own tend:* tags are not shown."),
        "id": AttributeSchema(.string, .computed, description: "The VPC id."),
        "arn": AttributeSchema(.string, .computed, description: "arn:aws:ec2:REGION:ACCOUNT:vpc/ID."),
    ])

    /// The DNS settings: the attribute, and DescribeVpcAttribute's name for it.
    static let dnsSettings: [(attribute: String, name: String)] = [("enable_dns_support", "enableDnsSupport"),
                                                                   ("enable_dns_hostnames", "enableDnsHostnames")]

    private func subject(_ name: String) -> String { "aws_vpc \(name)" }

    func observe(id: String, prior: [String: Value], scope: ReadScope, session: AWSSession) async throws -> [String: Value]? {
        try await observe(priors: [id: prior], scope: scope, session: session)?[id]
    }

    /// One DescribeVpcs per 200 VPCs, then one DescribeVpcAttribute per DNS setting in scope of each VPC found,
    /// `AWSProvider.readFanOut` at a time; a VPC deleted between the two is gone.
    func observe(priors: [String: [String: Value]], scope: ReadScope, session: AWSSession) async throws -> [String: [String: Value]]? {
        var out: [String: [String: Value]] = [:]
        for item in try await describe(Array(priors.keys), session: session) {
            guard let id = item.string("vpcId") else { continue }
            let prior = priors[id] ?? [:]
            out[id] = attributes(of: item, support: EC2Values.bool(prior, "enable_dns_support", default: true),
                                 hostnames: EC2Values.bool(prior, "enable_dns_hostnames", default: false), session: session)
        }
        let asks = out.keys.sorted().flatMap { id in
            Self.dnsSettings.filter { scope.reads($0.attribute, of: id) }.map { (id: id, attribute: $0.attribute, name: $0.name) }
        }
        let answers = try await AWSProvider.boundedMap(asks) { ask in
            (ask, try await dnsAttribute(ask.name, id: ask.id, session: session))
        }
        for (ask, value) in answers {
            if let value { out[ask.id]?[ask.attribute] = .bool(value) } else { out[ask.id] = nil }
        }
        return out
    }

    func create(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject {
        let name = subject(address.description)
        if let item = try await EC2API.earlierCopy(session, "DescribeVpcs", tags: tags, items: { page in self.items(page) }, idKey: "vpcId",
                                                   subject: name),
           let id = item.string("vpcId"), let found = try await observe(id: id, prior: desired, session: session) {
            return CreatedObject(id: id, attributes: try await update(id: id, current: found, desired: desired, session: session))
        }
        var parameters = EC2Tags.specification(resourceType: "vpc", user: EC2Tags.declared(desired), tend: tags)
        parameters["CidrBlock"] = try EC2Values.required(desired, "cidr_block", subject: name)
        let response = try await EC2API.call(session, "CreateVpc", parameters, subject: name)
        guard let item = response.child("vpc"), let id = item.string("vpcId") else {
            throw ProviderError(.failed, "\(name): CreateVpc returned no VPC id")
        }
        let support = EC2Values.bool(desired, "enable_dns_support", default: true)
        let hostnames = EC2Values.bool(desired, "enable_dns_hostnames", default: false)
        try await setDNS(id: id, support: support, hostnames: hostnames, currentSupport: true, currentHostnames: false,
                         session: session)
        return CreatedObject(id: id, attributes: attributes(of: item, support: support, hostnames: hostnames, session: session))
    }

    /// Reads the VPC first (a bulk read's DNS settings are only the recorded ones), then changes what differs.
    func update(id: String, current: [String: Value], desired: [String: Value], session: AWSSession) async throws -> [String: Value] {
        guard let actual = try await observe(id: id, prior: current, session: session) else {
            throw ProviderError(.failed, "\(subject(id)): the VPC is gone", remoteCode: "InvalidVpcID.NotFound")
        }
        try await setDNS(id: id, support: EC2Values.bool(desired, "enable_dns_support", default: true),
                         hostnames: EC2Values.bool(desired, "enable_dns_hostnames", default: false),
                         currentSupport: EC2Values.bool(actual, "enable_dns_support", default: true),
                         currentHostnames: EC2Values.bool(actual, "enable_dns_hostnames", default: false), session: session)
        try await EC2Tags.update(session, id: id, current: actual, desired: desired, subject: subject(id))
        guard let observed = try await observe(id: id, prior: desired, session: session) else {
            throw ProviderError(.failed, "\(subject(id)): the VPC disappeared during the update", remoteCode: "InvalidVpcID.NotFound")
        }
        return observed
    }

    func delete(id: String, current: [String: Value], session: AWSSession) async throws {
        try await EC2API.delete(session, "DeleteVpc", ["VpcId": id], subject: subject(id))
    }

    func recover(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject? {
        let name = subject(address.description)
        guard let item = try await EC2API.taggedCopy(session, "DescribeVpcs", tags: tags, items: items, idKey: "vpcId", subject: name),
              let id = item.string("vpcId"), let attributes = try await observe(id: id, prior: desired, session: session)
        else { return nil }
        return CreatedObject(id: id, attributes: attributes)
    }

    func list(session: AWSSession) async throws -> [String] {
        try await listObjects(session: session).map(\.id)
    }

    /// The default VPC (`isDefault`) is AWS's own.
    func listObjects(session: AWSSession) async throws -> [ListedObject] {
        try await EC2API.describeAll(session, "DescribeVpcs", [:], subject: "aws_vpc").flatMap(items)
            .compactMap { item in item.string("vpcId").map { ListedObject(id: $0, isDefault: item.string("isDefault") == "true") } }
            .sorted { $0.id < $1.id }
    }

    // MARK: - Reading

    private func items(_ page: XMLNode) -> [XMLNode] { page.child("vpcSet")?.items ?? [] }

    private func describe(_ ids: [String], session: AWSSession) async throws -> [XMLNode] {
        guard !ids.isEmpty else { return [] }
        return try await EC2API.describe(session, "DescribeVpcs", ids: ids, idParameter: "VpcId", filterName: "vpc-id",
                                         subject: subject(ids.count == 1 ? ids[0] : "(\(ids.count) VPCs)")).flatMap(items)
    }

    private func attributes(of item: XMLNode, support: Bool, hostnames: Bool, session: AWSSession) -> [String: Value] {
        let id = item.string("vpcId") ?? ""
        return [
            "id": .string(id),
            "arn": EC2API.arn(session: session, owner: item.string("ownerId"), kind: "vpc", id: id),
            "cidr_block": .string(item.string("cidrBlock") ?? ""),
            "enable_dns_support": .bool(support),
            "enable_dns_hostnames": .bool(hostnames),
            "tags": EC2Tags.userTags(of: item),
        ]
    }

    /// One DNS setting of one VPC; nil when the VPC is gone.
    private func dnsAttribute(_ attribute: String, id: String, session: AWSSession) async throws -> Bool? {
        do {
            let response = try await EC2API.call(session, "DescribeVpcAttribute", ["VpcId": id, "Attribute": attribute], subject: subject(id))
            return response.path(attribute, "value")?.text == "true"
        } catch let error as ProviderError where error.remoteCode == "InvalidVpcID.NotFound" {
            return nil
        }
    }

    /// ModifyVpcAttribute for each DNS setting that differs; AWS takes one attribute per call.
    private func setDNS(id: String, support: Bool, hostnames: Bool, currentSupport: Bool, currentHostnames: Bool,
                        session: AWSSession) async throws {
        if support != currentSupport {
            _ = try await EC2API.call(session, "ModifyVpcAttribute", ["VpcId": id, "EnableDnsSupport.Value": String(support)],
                                      subject: subject(id))
        }
        if hostnames != currentHostnames {
            _ = try await EC2API.call(session, "ModifyVpcAttribute", ["VpcId": id, "EnableDnsHostnames.Value": String(hostnames)],
                                      subject: subject(id))
        }
    }
}
