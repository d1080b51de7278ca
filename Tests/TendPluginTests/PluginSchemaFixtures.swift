import TendPlugin

/// A security-group-like schema with every kind of nesting, shared by the schema and proposed-state tests.
enum PluginSchemaFixtures {
    static let rule = PluginBlock(attributes: [
        PluginAttribute(name: "port", type: .number, isRequired: true),
        PluginAttribute(name: "cidrs", type: .set(.string), isOptional: true),
        PluginAttribute(name: "rule_id", type: .string, isComputed: true),
        PluginAttribute(name: "token", type: .string, isOptional: true, isSensitive: true),
    ])

    static let login = PluginNestedObject(attributes: [
        PluginAttribute(name: "user", type: .string, isRequired: true),
        PluginAttribute(name: "password", type: .string, isRequired: true, isSensitive: true),
        PluginAttribute(name: "expires", type: .string, isComputed: true),
    ], nesting: .single)

    static let block = PluginBlock(attributes: [
        PluginAttribute(name: "name", type: .string, description: "The name.", isRequired: true),
        PluginAttribute(name: "id", type: .string, isComputed: true),
        PluginAttribute(name: "arn", type: .string, isComputed: true),
        PluginAttribute(name: "description", type: .string, isOptional: true, isComputed: true),
        PluginAttribute(name: "tags", type: .map(.string), isOptional: true),
        PluginAttribute(name: "secret", type: .string, isOptional: true, isSensitive: true),
        PluginAttribute(name: "extra", type: .dynamic, isOptional: true),
        PluginAttribute(name: "login", nestedType: login, isOptional: true),
        PluginAttribute(name: "users", nestedType: PluginNestedObject(attributes: login.attributes, nesting: .map),
                        isOptional: true),
    ], blockTypes: [
        PluginNestedBlock(typeName: "ingress", block: rule, nesting: .set),
        PluginNestedBlock(typeName: "egress", block: rule, nesting: .list, minItems: 1),
        PluginNestedBlock(typeName: "timeouts", block: PluginBlock(attributes: [
            PluginAttribute(name: "create", type: .string, isOptional: true),
        ]), nesting: .single),
        PluginNestedBlock(typeName: "settings", block: PluginBlock(attributes: [
            PluginAttribute(name: "level", type: .number, isOptional: true, isComputed: true),
        ], blockTypes: [
            PluginNestedBlock(typeName: "inner", block: PluginBlock(attributes: [
                PluginAttribute(name: "on", type: .bool, isOptional: true),
            ]), nesting: .list),
        ]), nesting: .group),
        PluginNestedBlock(typeName: "named", block: PluginBlock(attributes: [
            PluginAttribute(name: "value", type: .string, isOptional: true),
        ]), nesting: .map),
    ], description: "A group.")

    static let schema = PluginSchema(version: 3, block: block)
}
