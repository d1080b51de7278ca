import TendModel

extension PluginSchema {
    /// tend's view of this schema, for the resource or data source type `type`.
    ///
    /// Each attribute keeps its type (through `CtyType.attributeType`), mode, sensitivity and description. A nested
    /// attribute (tfplugin6) becomes an attribute of its object, or list, set or map of objects, type, with the
    /// attribute's own mode. A nested block becomes such an attribute too: required when it must appear at least
    /// once (`minItems > 0`), optional otherwise. Nothing forces replacement: the plugin's plan says what does.
    ///
    /// tend marks sensitivity per top-level attribute: one that holds a sensitive attribute anywhere inside (a
    /// block with a password) is sensitive as a whole, so nothing inside it is ever shown.
    public func resourceSchema(type: String) -> ResourceSchema {
        var holdsSensitive: Set<String> = []
        for path in block.sensitivePaths {
            if case let .key(name)? = path.components.first { holdsSensitive.insert(name) }
        }
        var attributes: [String: AttributeSchema] = [:]
        for attribute in block.attributes {
            attributes[attribute.name] = AttributeSchema(attribute.impliedType.attributeType, attribute.mode, forceNew: false,
                                                         sensitive: attribute.isSensitive || holdsSensitive.contains(attribute.name),
                                                         description: attribute.description)
        }
        for nested in block.blockTypes {
            attributes[nested.typeName] = AttributeSchema(nested.impliedType.attributeType,
                                                          nested.minItems > 0 ? .required : .optional, forceNew: false,
                                                          sensitive: holdsSensitive.contains(nested.typeName),
                                                          description: nested.block.description)
        }
        return ResourceSchema(type: type, description: block.description, version: version, attributes: attributes)
    }

    /// The paths of sensitive attributes at any depth; see `PluginBlock.sensitivePaths`.
    public var sensitivePaths: [AttributePath] {
        block.sensitivePaths
    }

    /// The paths of sensitive attributes in this value, element by element; see `PluginBlock.sensitivePaths(in:)`.
    public func sensitivePaths(in attributes: [String: Value]) -> [AttributePath] {
        block.sensitivePaths(in: attributes)
    }
}
