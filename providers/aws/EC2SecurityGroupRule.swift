import TendModel

/// One security group permission reduced to a single IPv4 range: the unit tend compares and sends.
///
/// Declared rules and AWS's `IpPermissions` both break down into these, and both are built back up the same way
/// (one rule per protocol, ports and description, its CIDR blocks sorted), so the same set of permissions
/// always reads the same whatever the order or grouping it was written or returned in.
struct EC2SecurityGroupRule: Sendable, Hashable, Comparable {
    /// `tcp`, `udp`, `icmp`, a protocol number, or `-1` for all.
    var protocolName: String
    /// The first port (ICMP type); 0 when the protocol has none.
    var fromPort: Int
    /// The last port (ICMP code); 0 when the protocol has none.
    var toPort: Int
    /// The IPv4 range.
    var cidrBlock: String
    /// The range's description; empty when there is none.
    var description: String

    /// The object type of one declared rule.
    static let objectType = AttributeType.object([
        "protocol": .string, "from_port": .number, "to_port": .number, "cidr_blocks": .set(.string), "description": .string,
    ])

    /// Ports (ICMP type and code) are -1 (all) to 65535; checked by `validate` and again at plan.
    static let portRange: ClosedRange<Int64> = -1...65535

    /// The constraint on a list of declared rules.
    static let constraint = ValueConstraint.each(.fields(["from_port": .integer(portRange), "to_port": .integer(portRange)]))

    /// AWS's spelling of a protocol: lowercase names, `-1` for all.
    static func canonicalProtocol(_ text: String) -> String {
        switch text.lowercased() {
        case "all", "-1", "": return "-1"
        case "6": return "tcp"
        case "17": return "udp"
        case "1": return "icmp"
        default: return text.lowercased()
        }
    }

    /// The permissions of declared rules (a list of rule objects); absent or null gives none.
    static func declared(_ value: Value?) -> Set<EC2SecurityGroupRule> {
        var rules: Set<EC2SecurityGroupRule> = []
        for item in value?.elements ?? [] {
            guard let fields = item.mapValue else { continue }
            let protocolName = canonicalProtocol(fields["protocol"]?.interpolationText ?? "-1")
            let allPorts = protocolName == "-1"
            let from = allPorts ? 0 : port(fields["from_port"])
            let to = allPorts ? 0 : port(fields["to_port"])
            let description = fields["description"]?.interpolationText ?? ""
            for cidr in fields["cidr_blocks"]?.elements ?? [] {
                guard let block = cidr.interpolationText, !block.isEmpty else { continue }
                rules.insert(EC2SecurityGroupRule(protocolName: protocolName, fromPort: from, toPort: to, cidrBlock: block,
                                                  description: description))
            }
        }
        return rules
    }

    /// The IPv4 permissions of an `ipPermissions` or `ipPermissionsEgress` element; group and IPv6 grants are not read.
    static func observed(_ permissions: XMLNode?) -> Set<EC2SecurityGroupRule> {
        var rules: Set<EC2SecurityGroupRule> = []
        for permission in permissions?.items ?? [] {
            let protocolName = canonicalProtocol(permission.string("ipProtocol") ?? "-1")
            let allPorts = protocolName == "-1"
            let from = allPorts ? 0 : permission.string("fromPort").flatMap { Int($0) } ?? 0
            let to = allPorts ? 0 : permission.string("toPort").flatMap { Int($0) } ?? 0
            for range in permission.child("ipRanges")?.items ?? [] {
                guard let block = range.string("cidrIp"), !block.isEmpty else { continue }
                rules.insert(EC2SecurityGroupRule(protocolName: protocolName, fromPort: from, toPort: to, cidrBlock: block,
                                                  description: range.string("description") ?? ""))
            }
        }
        return rules
    }

    /// The canonical attribute value: one object per protocol, ports and description, CIDR blocks sorted,
    /// `description` only when set; the list in a stable order.
    static func value(of rules: Set<EC2SecurityGroupRule>) -> Value {
        var grouped: [[String]: [String]] = [:]
        for rule in rules {
            grouped[[rule.protocolName, String(rule.fromPort), String(rule.toPort), rule.description], default: []].append(rule.cidrBlock)
        }
        var objects: [Value] = []
        for key in grouped.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            var fields: [String: Value] = [
                "protocol": .string(key[0]),
                "from_port": .number(Number(Int(key[1]) ?? 0)),
                "to_port": .number(Number(Int(key[2]) ?? 0)),
                "cidr_blocks": EC2Values.set(grouped[key] ?? []),
            ]
            if !key[3].isEmpty { fields["description"] = .string(key[3]) }
            objects.append(.map(fields))
        }
        return .set(of: objects)
    }

    /// `IpPermissions.N.*` parameters for Authorize/Revoke calls: one permission per protocol and ports.
    /// A revoke matches ranges by CIDR alone, so it leaves the descriptions out.
    static func parameters(_ rules: Set<EC2SecurityGroupRule>, includingDescriptions: Bool) -> [String: String] {
        var grouped: [[String]: [EC2SecurityGroupRule]] = [:]
        for rule in rules { grouped[[rule.protocolName, String(rule.fromPort), String(rule.toPort)], default: []].append(rule) }
        var parameters: [String: String] = [:]
        for (index, key) in grouped.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }).enumerated() {
            let prefix = "IpPermissions.\(index + 1)"
            parameters["\(prefix).IpProtocol"] = key[0]
            if key[0] != "-1" {
                parameters["\(prefix).FromPort"] = key[1]
                parameters["\(prefix).ToPort"] = key[2]
            }
            for (rangeIndex, rule) in (grouped[key] ?? []).sorted().enumerated() {
                parameters["\(prefix).IpRanges.\(rangeIndex + 1).CidrIp"] = rule.cidrBlock
                if includingDescriptions, !rule.description.isEmpty { parameters["\(prefix).IpRanges.\(rangeIndex + 1).Description"] = rule.description }
            }
        }
        return parameters
    }

    static func < (lhs: EC2SecurityGroupRule, rhs: EC2SecurityGroupRule) -> Bool {
        (lhs.protocolName, lhs.fromPort, lhs.toPort, lhs.cidrBlock, lhs.description)
            < (rhs.protocolName, rhs.fromPort, rhs.toPort, rhs.cidrBlock, rhs.description)
    }

    /// Whether text is an IPv4 CIDR block: four octets 0–255 and a prefix length 0–32.
    static func isIPv4CIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let length = Int(parts[1]), (0...32).contains(length) else { return false }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { octet in
            octet.count <= 3 && octet.allSatisfy(\.isASCII) && Int(octet).map { (0...255).contains($0) } == true
        }
    }

    /// A declared port; 0 when absent or out of range (plan rejects those before anything is sent).
    private static func port(_ value: Value?) -> Int {
        guard let value, let port = ValueConstraint.checkedInteger(value, in: portRange) else { return 0 }
        return Int(port)
    }
}
