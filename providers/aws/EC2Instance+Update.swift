import ProviderKit
import TendModel

extension EC2Instance {
    /// Longest wait for an instance to stop before its type can change: 120 polls, at most 5 s apart.
    static let stopPolls = 120

    /// Changes the instance type (stop, modify, start), the security groups and the tags in place.
    func update(id: String, current: [String: Value], desired: [String: Value], session: AWSSession) async throws -> [String: Value] {
        guard var actual = try await observe(id: id, prior: current, session: session) else {
            throw ProviderError(.failed, "\(subject(id)): the instance is gone", remoteCode: "InvalidInstanceID.NotFound")
        }
        if let type = EC2Values.string(desired, "instance_type"), actual["instance_type"] != .string(type) {
            actual = try await changeType(id: id, to: type, state: actual["instance_state"]?.stringValue ?? "", session: session)
        }
        if let groups = EC2Values.stringSet(desired, "vpc_security_group_ids"), !groups.isEmpty,
           actual["vpc_security_group_ids"] != EC2Values.set(groups) {
            var parameters = ["InstanceId": id]
            for (index, group) in groups.enumerated() { parameters["GroupId.\(index + 1)"] = group }
            _ = try await EC2API.call(session, "ModifyInstanceAttribute", parameters, subject: subject(id))
        }
        try await EC2Tags.update(session, id: id, current: actual, desired: desired, subject: subject(id))
        guard let observed = try await observe(id: id, prior: desired, session: session) else {
            throw ProviderError(.failed, "\(subject(id)): the instance disappeared during the update", remoteCode: "InvalidInstanceID.NotFound")
        }
        return observed
    }

    /// Stops the instance if it runs, waits until it has stopped, sets the type, and starts it again if it ran.
    private func changeType(id: String, to type: String, state: String, session: AWSSession) async throws -> [String: Value] {
        let wasRunning = state == "running" || state == "pending"
        if state != "stopped" {
            if state != "stopping" {
                _ = try await EC2API.call(session, "StopInstances", ["InstanceId.1": id], subject: subject(id))
            }
            try await waitUntilStopped(id: id, session: session)
        }
        _ = try await EC2API.call(session, "ModifyInstanceAttribute", ["InstanceId": id, "InstanceType.Value": type], subject: subject(id))
        if wasRunning {
            _ = try await EC2API.call(session, "StartInstances", ["InstanceId.1": id], subject: subject(id))
        }
        guard let after = try await observe(id: id, prior: [:], session: session) else {
            throw ProviderError(.failed, "\(subject(id)): the instance disappeared while its type changed", remoteCode: "InvalidInstanceID.NotFound")
        }
        return after
    }

    private func waitUntilStopped(id: String, session: AWSSession) async throws {
        for poll in 0..<Self.stopPolls {
            try Task.checkCancellation()
            let state = try await observe(id: id, prior: [:], session: session)?["instance_state"]?.stringValue
            if state == nil {
                throw ProviderError(.failed, "\(subject(id)): the instance disappeared while stopping", remoteCode: "InvalidInstanceID.NotFound")
            }
            if state == "stopped" { return }
            try await Task.sleep(nanoseconds: UInt64(min(poll + 1, 5)) * 1_000_000_000)
        }
        throw ProviderError(.transient, "\(subject(id)): the instance did not stop in time to change its type")
    }
}
