import Foundation
import ProviderKit
import TendModel
import TendPlugin

/// Managed resources: plan, apply (create, update, delete), read, import, upgrade.
extension PluginProvider {
    public func planObject(type: String, desired: [String: Value], prior: [String: Value]?,
                           context: ProviderContext) async throws -> PlannedObject {
        let schema = try resourceBlock(type)
        try await validate(type: type, config: desired, schema: schema)
        let planned = try await plan(type: type, schema: schema, config: desired, prior: prior, privateData: context.privateData)
        return PlannedObject(attributes: planned.attributes, requiresReplace: planned.requiresReplace,
                             privateData: planned.privateData)
    }

    public func create(type: String, address: ResourceAddress, desired: [String: Value],
                       context: ProviderContext) async throws -> CreatedObject {
        let schema = try resourceBlock(type)
        // The configuration as declared, not the planned values: defaults the plugin filled in are not configuration.
        let config = context.declared ?? desired
        try await validate(type: type, config: config, schema: schema)
        let planned = try await plan(type: type, schema: schema, config: config, prior: nil, privateData: context.privateData)
        return try await apply(type: type, schema: schema, prior: nil, planned: planned, config: config, subject: "\(address)")
    }

    public func updateObject(type: String, id: String, current: [String: Value], desired: [String: Value],
                             context: ProviderContext) async throws -> CreatedObject {
        let schema = try resourceBlock(type)
        let config = context.declared ?? desired
        try await validate(type: type, config: config, schema: schema)
        let planned = try await plan(type: type, schema: schema, config: config, prior: current, privateData: context.privateData)
        return try await apply(type: type, schema: schema, prior: current, planned: planned, config: config,
                               subject: "\(type) \(id)")
    }

    public func update(type: String, id: String, current: [String: Value], desired: [String: Value],
                       context: ProviderContext) async throws -> [String: Value] {
        try await updateObject(type: type, id: id, current: current, desired: desired, context: context).attributes
    }

    public func delete(type: String, id: String, current: [String: Value], context: ProviderContext) async throws {
        let schema = try resourceBlock(type)
        let block = schema.block
        let prior = try encode(block.conform(current), block: block, what: "the state of \(type) \(id)")
        var plannedPrivate = Data(PluginProvider.privateBytes(context.privateData))
        var plannedState = Tfplugin5_DynamicValue(msgpack: PluginProvider.msgpackNull)
        if catalog.plansDestroy {
            var request = Tfplugin5_PlanResourceChange.Request()
            request.typeName = type
            request.priorState = Tfplugin5_DynamicValue(msgpack: prior)
            request.proposedNewState = Tfplugin5_DynamicValue(msgpack: PluginProvider.msgpackNull)
            request.config = Tfplugin5_DynamicValue(msgpack: PluginProvider.msgpackNull)
            request.priorPrivate = plannedPrivate
            let reply: Tfplugin5_PlanResourceChange.Response = try await call(.planResourceChange, request,
                                                                             about: "destroying \(type) \(id)")
            try check(reply.diagnostics, about: "planning the deletion of \(type) \(id)")
            plannedPrivate = reply.plannedPrivate
            if reply.hasPlannedState { plannedState = reply.plannedState }
        }
        var request = Tfplugin5_ApplyResourceChange.Request()
        request.typeName = type
        request.priorState = Tfplugin5_DynamicValue(msgpack: prior)
        request.plannedState = plannedState
        request.config = Tfplugin5_DynamicValue(msgpack: PluginProvider.msgpackNull)
        request.plannedPrivate = plannedPrivate
        let reply: Tfplugin5_ApplyResourceChange.Response = try await call(.applyResourceChange, request,
                                                                          about: "deleting \(type) \(id)")
        try check(reply.diagnostics, about: "deleting \(type) \(id)")
        if reply.hasNewState, try decode(reply.newState, block: block, what: "the state after deleting \(type) \(id)") != .null {
            throw ProviderError(.failed, "provider \(name) did not delete \(type) \(id): it returned a state afterwards")
        }
    }

    public func observe(type: String, id: String, prior: [String: Value], context: ProviderContext) async throws -> [String: Value]? {
        let schema = try resourceBlock(type)
        return try await read(type: type, schema: schema, state: prior, privateData: context.privateData, subject: "\(type) \(id)")?
            .attributes
    }

    public func importObject(type: String, id: String, context: ProviderContext) async throws -> [String: Value]? {
        try await importedObject(type: type, id: id, context: context)?.attributes
    }

    public func importedObject(type: String, id: String, context: ProviderContext) async throws -> CreatedObject? {
        let schema = try resourceBlock(type)
        var request = Tfplugin5_ImportResourceState.Request()
        request.typeName = type
        request.id = id
        let reply: Tfplugin5_ImportResourceState.Response = try await call(.importResourceState, request,
                                                                          about: "importing \(type) \(id)")
        try check(reply.diagnostics, about: "importing \(type) \(id)")
        guard let imported = reply.importedResources.first(where: { $0.typeName == type }) ?? reply.importedResources.first else {
            return nil
        }
        let state = try decode(imported.state, block: schema.block, what: "the imported state of \(type) \(id)")
        guard let attributes = PluginProvider.attributes(of: state) else { return nil }
        let privateData = imported.private.isEmpty ? nil : imported.private.base64EncodedString()
        // As Terraform does: what an import finds is read once more, so every attribute is filled in (and an id with
        // nothing behind it reads as gone).
        guard let read = try await read(type: type, schema: schema, state: attributes, privateData: privateData,
                                        subject: "\(type) \(id)") else { return nil }
        return CreatedObject(id: read.attributes["id"]?.stringValue ?? id, attributes: read.attributes,
                             privateData: read.privateData ?? privateData)
    }

    public func upgrade(type: String, attributes: [String: Value], from version: Int,
                        context: ProviderContext) async throws -> [String: Value] {
        let schema = try resourceBlock(type)
        var request = Tfplugin5_UpgradeResourceState.Request()
        request.typeName = type
        request.version = Int64(version)
        var raw = Tfplugin5_RawState()
        raw.json = Data(Value.map(attributes).canonicalJSON.utf8)   // untyped: the old schema is the plugin's to know
        request.rawState = raw
        let reply: Tfplugin5_UpgradeResourceState.Response = try await call(.upgradeResourceState, request,
                                                                           about: "upgrading the state of a \(type)")
        try check(reply.diagnostics, about: "upgrading the state of a \(type) from schema version \(version)")
        let state = try decode(reply.upgradedState, block: schema.block, what: "the upgraded state of a \(type)")
        return PluginProvider.attributes(of: state) ?? [:]
    }

    // MARK: - The calls

    struct Planned {
        var attributes: [String: Value]
        var state: Tfplugin5_DynamicValue
        var requiresReplace: [AttributePath]
        var privateData: String?
    }

    /// ValidateResourceConfig: errors with the attribute they are about.
    func validate(type: String, config: [String: Value], schema: PluginSchema) async throws {
        var request = Tfplugin5_ValidateResourceTypeConfig.Request()
        request.typeName = type
        request.config = Tfplugin5_DynamicValue(msgpack: try encode(schema.block.conform(config), block: schema.block,
                                                                    what: "the configuration of a \(type)"))
        let reply: Tfplugin5_ValidateResourceTypeConfig.Response = try await call(.validateResourceConfig, request,
                                                                                 about: "validating a \(type)")
        try check(reply.diagnostics, about: "invalid \(type)", code: .invalidInput)
    }

    /// PlanResourceChange with the proposed new state computed as Terraform does.
    func plan(type: String, schema: PluginSchema, config: [String: Value], prior: [String: Value]?,
              privateData: String?) async throws -> Planned {
        let block = schema.block
        let configValue = block.conform(config)
        let priorValue: Value = prior.map { block.conform($0) } ?? .null
        let proposed = ProposedNewState.proposedNew(schema: block, prior: prior == nil ? nil : priorValue, config: configValue)
        var request = Tfplugin5_PlanResourceChange.Request()
        request.typeName = type
        request.priorState = Tfplugin5_DynamicValue(msgpack: try encode(priorValue, block: block, what: "the state of a \(type)"))
        request.proposedNewState = Tfplugin5_DynamicValue(msgpack: try encode(proposed, block: block,
                                                                              what: "the proposed state of a \(type)"))
        request.config = Tfplugin5_DynamicValue(msgpack: try encode(configValue, block: block, what: "the configuration of a \(type)"))
        request.priorPrivate = Data(PluginProvider.privateBytes(privateData))
        let reply: Tfplugin5_PlanResourceChange.Response = try await call(.planResourceChange, request, about: "planning a \(type)")
        try check(reply.diagnostics, about: "planning a \(type)")
        if reply.hasDeferred {
            throw ProviderError(.failed, "provider \(name) deferred the plan of a \(type) (reason \(reply.deferred.reason.rawValue)); "
                                + "tend does not defer changes")
        }
        let planned = try decode(reply.plannedState, block: block, what: "the planned state of a \(type)")
        guard let attributes = PluginProvider.attributes(of: planned) else {
            throw ProviderError(.failed, "provider \(name) planned no object for a \(type)", remoteCode: "plugin_garbage")
        }
        return Planned(attributes: attributes, state: reply.plannedState,
                       requiresReplace: reply.requiresReplace.compactMap { PluginPathStep.attributePath($0.neutral) },
                       privateData: reply.plannedPrivate.isEmpty ? nil : reply.plannedPrivate.base64EncodedString())
    }

    /// ApplyResourceChange of a planned create or update; the new object with its private data.
    func apply(type: String, schema: PluginSchema, prior: [String: Value]?, planned: Planned, config: [String: Value],
               subject: String) async throws -> CreatedObject {
        let block = schema.block
        var request = Tfplugin5_ApplyResourceChange.Request()
        request.typeName = type
        request.priorState = Tfplugin5_DynamicValue(msgpack: try prior.map { try encode(block.conform($0), block: block,
                                                                                        what: "the state of \(subject)") }
                                                    ?? PluginProvider.msgpackNull)
        request.plannedState = planned.state
        request.config = Tfplugin5_DynamicValue(msgpack: try encode(block.conform(config), block: block,
                                                                    what: "the configuration of \(subject)"))
        request.plannedPrivate = Data(PluginProvider.privateBytes(planned.privateData))
        let reply: Tfplugin5_ApplyResourceChange.Response = try await call(.applyResourceChange, request, about: subject)
        let state = try decode(reply.newState, block: block, what: "the new state of \(subject)")
        let errors = reply.diagnostics.map(\.neutral).errors
        guard let attributes = PluginProvider.attributes(of: state) else {
            let reason = errors.isEmpty ? "it returned no object" : errors.map(\.description).joined(separator: "; ")
            throw ProviderError(.failed, "\(subject): \(reason)")
        }
        guard let id = attributes["id"]?.stringValue, !id.isEmpty else {
            throw ProviderError(.failed, "\(subject): provider \(name) returned an object without an id")
        }
        if !errors.isEmpty {
            // Terraform keeps a partial object the provider returned with its errors; so does tend, as tainted by
            // the error the engine records.
            throw ProviderError(.failed, "\(subject) (\(type) \(id)): " + errors.map(\.description).joined(separator: "; "))
        }
        return CreatedObject(id: id, attributes: attributes,
                             privateData: reply.private.isEmpty ? nil : reply.private.base64EncodedString())
    }

    /// ReadResource; nil when the object is gone.
    func read(type: String, schema: PluginSchema, state: [String: Value], privateData: String?,
              subject: String) async throws -> (attributes: [String: Value], privateData: String?)? {
        let block = schema.block
        var request = Tfplugin5_ReadResource.Request()
        request.typeName = type
        request.currentState = Tfplugin5_DynamicValue(msgpack: try encode(block.conform(state), block: block,
                                                                          what: "the state of \(subject)"))
        request.private = Data(PluginProvider.privateBytes(privateData))
        let reply: Tfplugin5_ReadResource.Response = try await call(.readResource, request, about: "reading \(subject)")
        try check(reply.diagnostics, about: "reading \(subject)")
        let value = try decode(reply.newState, block: block, what: "the state of \(subject)")
        guard let attributes = PluginProvider.attributes(of: value) else { return nil }
        return (attributes, reply.private.isEmpty ? nil : reply.private.base64EncodedString())
    }

    // MARK: - Values

    /// msgpack's nil: a null DynamicValue.
    static let msgpackNull: [UInt8] = [0xC0]

    /// An object's attributes without the nulls (tend's "not set"); nil for a null object.
    static func attributes(of value: Value) -> [String: Value]? {
        guard case let .map(entries) = value else { return nil }
        return entries.filter { $0.value != .null }
    }

    /// Private data as the plugin gave it: tend keeps it base64-encoded.
    static func privateBytes(_ text: String?) -> [UInt8] {
        guard let text, let data = Data(base64Encoded: text) else { return [] }
        return [UInt8](data)
    }
}
