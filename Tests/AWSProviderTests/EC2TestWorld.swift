import AWSProvider
import Foundation
import ProviderKit
import ProviderKitTesting
import TendModel

/// A moto_server of its own, an aws provider pointed at it, and a raw session for changes made behind tend's back.
/// The server is killed when the world is released.
final class EC2TestWorld: Sendable {
    let moto: MotoServer
    let provider: AWSProvider
    let context: ProviderContext
    let session: AWSSession

    init(stack: String = "ec2-tests") throws {
        moto = try MotoServer()
        provider = AWSProvider(environment: moto.environment, homeDirectory: nil)
        context = ProviderContext(baseDirectory: NSTemporaryDirectory(), stack: stack)
        let configuration = try AWSConfiguration.resolve(block: [:], environment: moto.environment, homeDirectory: nil)
        session = AWSSession(configuration: configuration, clock: { Date() })
    }

    deinit {
        moto.stop()
    }

    /// A raw signed EC2 call.
    @discardableResult
    func raw(_ action: String, _ parameters: [String: String] = [:]) async throws -> XMLNode {
        try await session.query(service: "ec2", version: "2016-11-15", action: action, parameters: parameters)
    }

    /// Plans and creates through the provider.
    func create(_ type: String, _ name: String, _ desired: [String: Value]) async throws -> CreatedObject {
        let planned = try await provider.plan(type: type, desired: desired, context: context)
        return try await provider.create(type: type, address: ResourceAddress(name: name), desired: planned, context: context)
    }

    /// Observes one object through the provider.
    func observe(_ type: String, _ created: CreatedObject) async throws -> [String: Value]? {
        try await provider.observe(type: type, id: created.id, prior: created.attributes, context: context)
    }

    /// An image moto knows.
    func imageID() async throws -> String {
        let images = try await raw("DescribeImages", ["Owner.1": "amazon"])
        guard let id = images.descendants("imageId").first?.text else {
            throw ProviderError(.failed, "moto lists no images")
        }
        return id
    }

    /// A VPC made through the provider, for the types that live in one.
    func makeVPC(_ name: String = "network", cidr: String = "10.0.0.0/16") async throws -> String {
        try await create("aws_vpc", name, ["cidr_block": .string(cidr)]).id
    }

    /// A declared security group rule.
    static func rule(_ protocolName: String, _ from: Int, _ to: Int, _ cidrs: [String], _ description: String? = nil) -> Value {
        var fields: [String: Value] = [
            "protocol": .string(protocolName), "from_port": .number(Number(from)), "to_port": .number(Number(to)),
            "cidr_blocks": .set(of: cidrs.map(Value.string)),
        ]
        if let description { fields["description"] = .string(description) }
        return .map(fields)
    }
}
