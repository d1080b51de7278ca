import ProviderKit
import TendModel

extension EC2SecurityGroup {
    /// Brings the group's rules to the declared ones (egress only when declared) by revoking what is there and
    /// not declared, then authorizing what is declared and not there; returns the group's attributes afterwards.
    ///
    /// Safe to repeat: each run reads the group first and sends only the difference. When AWS answers that a rule
    /// to add is there already (`InvalidPermission.Duplicate`: an earlier call's answer was lost, and AWS adds a
    /// batch all or nothing) or a rule to revoke is gone (`InvalidPermission.NotFound`), it reads again and sends
    /// what still differs, once.
    /// `fresh`: the group was just created, so its rules are known without reading them (no ingress, AWS's default
    /// allow-all egress); a wrong guess shows as `InvalidPermission.*` and the retry reads them.
    func converge(id: String, desired: [String: Value], fresh: Bool = false, session: AWSSession) async throws -> [String: Value] {
        do {
            return try await convergeOnce(id: id, desired: desired, fresh: fresh, session: session)
        } catch let error as ProviderError where ["InvalidPermission.Duplicate", "InvalidPermission.NotFound"].contains(error.remoteCode ?? "") {
            return try await convergeOnce(id: id, desired: desired, fresh: false, session: session)
        }
    }

    /// The rules of a group CreateSecurityGroup just made in a VPC: no ingress, egress to anywhere.
    static let freshRules: (ingress: Set<EC2SecurityGroupRule>, egress: Set<EC2SecurityGroupRule>) =
        ([], [EC2SecurityGroupRule(protocolName: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0", description: "")])

    private func convergeOnce(id: String, desired: [String: Value], fresh: Bool, session: AWSSession) async throws -> [String: Value] {
        let item = fresh ? nil : try await describe([id], session: session).first
        if !fresh && item == nil {
            throw ProviderError(.failed, "\(subject(id)): the security group is gone", remoteCode: "InvalidGroup.NotFound")
        }
        let managesEgress = Self.managesEgress(desired)
        var changed = try await sync(id: id, direction: "Ingress",
                                     have: item.map { EC2SecurityGroupRule.observed($0.child("ipPermissions")) } ?? Self.freshRules.ingress,
                                     want: EC2SecurityGroupRule.declared(desired["ingress"]), session: session)
        if managesEgress {
            changed = try await sync(id: id, direction: "Egress",
                                     have: item.map { EC2SecurityGroupRule.observed($0.child("ipPermissionsEgress")) } ?? Self.freshRules.egress,
                                     want: EC2SecurityGroupRule.declared(desired["egress"]), session: session) || changed
        }
        if !changed, let item { return attributes(of: item, includingEgress: managesEgress, session: session) }
        guard let after = try await describe([id], session: session).first else {
            throw ProviderError(.failed, "\(subject(id)): the security group is gone", remoteCode: "InvalidGroup.NotFound")
        }
        return attributes(of: after, includingEgress: managesEgress, session: session)
    }

    /// Revoke then authorize one direction's difference; whether anything was sent.
    private func sync(id: String, direction: String, have: Set<EC2SecurityGroupRule>, want: Set<EC2SecurityGroupRule>,
                      session: AWSSession) async throws -> Bool {
        let revoke = have.subtracting(want)
        let authorize = want.subtracting(have)
        if !revoke.isEmpty {
            var parameters = EC2SecurityGroupRule.parameters(revoke, includingDescriptions: false)
            parameters["GroupId"] = id
            _ = try await EC2API.call(session, "RevokeSecurityGroup\(direction)", parameters, subject: subject(id))
        }
        if !authorize.isEmpty {
            var parameters = EC2SecurityGroupRule.parameters(authorize, includingDescriptions: true)
            parameters["GroupId"] = id
            _ = try await EC2API.call(session, "AuthorizeSecurityGroup\(direction)", parameters, subject: subject(id))
        }
        return !revoke.isEmpty || !authorize.isEmpty
    }
}
