import Foundation
import TendPlugin

/// Plugin schemas from their wire form in each protocol version. Type JSON that does not parse is a reply tend
/// cannot use: an error naming the attribute, not a guess.
extension PluginSchema {
    init(five schema: Tfplugin5_Schema, path: String) throws {
        self.init(version: Int(schema.version), block: try PluginBlock(five: schema.block, path: path))
    }

    init(six schema: Tfplugin6_Schema, path: String) throws {
        self.init(version: Int(schema.version), block: try PluginBlock(six: schema.block, path: path))
    }
}

extension PluginBlock {
    init(five block: Tfplugin5_Schema.Block, path: String) throws {
        let attributes = try block.attributes.map { attribute in
            PluginAttribute(name: attribute.name, type: try CtyType.parsed(attribute.type, at: "\(path).\(attribute.name)"),
                            nestedType: nil, description: attribute.description_p, isRequired: attribute.required,
                            isOptional: attribute.optional, isComputed: attribute.computed, isSensitive: attribute.sensitive,
                            isDeprecated: attribute.deprecated, isWriteOnly: attribute.writeOnly)
        }
        let blocks = try block.blockTypes.map { nested in
            PluginNestedBlock(typeName: nested.typeName, block: try PluginBlock(five: nested.block, path: "\(path).\(nested.typeName)"),
                              nesting: try PluginNestedBlock.Nesting(wire: nested.nesting.rawValue, at: "\(path).\(nested.typeName)"),
                              minItems: Int(nested.minItems), maxItems: Int(nested.maxItems))
        }
        self.init(attributes: attributes, blockTypes: blocks, description: block.description_p, isDeprecated: block.deprecated)
    }

    init(six block: Tfplugin6_Schema.Block, path: String) throws {
        let attributes = try block.attributes.map { try PluginAttribute(six: $0, path: path) }
        let blocks = try block.blockTypes.map { nested in
            PluginNestedBlock(typeName: nested.typeName, block: try PluginBlock(six: nested.block, path: "\(path).\(nested.typeName)"),
                              nesting: try PluginNestedBlock.Nesting(wire: nested.nesting.rawValue, at: "\(path).\(nested.typeName)"),
                              minItems: Int(nested.minItems), maxItems: Int(nested.maxItems))
        }
        self.init(attributes: attributes, blockTypes: blocks, description: block.description_p, isDeprecated: block.deprecated)
    }
}

extension PluginAttribute {
    init(six attribute: Tfplugin6_Schema.Attribute, path: String) throws {
        let place = "\(path).\(attribute.name)"
        var nested: PluginNestedObject?
        var type: CtyType?
        if attribute.hasNestedType {
            let object = attribute.nestedType
            nested = PluginNestedObject(attributes: try object.attributes.map { try PluginAttribute(six: $0, path: place) },
                                        nesting: try PluginNestedObject.Nesting(wire: object.nesting.rawValue, at: place))
        } else {
            type = try CtyType.parsed(attribute.type, at: place)
        }
        self.init(name: attribute.name, type: type, nestedType: nested, description: attribute.description_p,
                  isRequired: attribute.required, isOptional: attribute.optional, isComputed: attribute.computed,
                  isSensitive: attribute.sensitive, isDeprecated: attribute.deprecated, isWriteOnly: attribute.writeOnly)
    }
}

extension CtyType {
    /// The type from its JSON bytes, or an error naming the attribute.
    static func parsed(_ json: Data, at place: String) throws -> CtyType {
        do {
            return try CtyType(json: [UInt8](json))
        } catch {
            throw PluginError(.garbage, "the schema's type of \(place) is not a type: \(error)")
        }
    }
}

extension PluginNestedBlock.Nesting {
    init(wire: Int, at place: String) throws {
        switch wire {
        case 1: self = .single
        case 2: self = .list
        case 3: self = .set
        case 4: self = .map
        case 5: self = .group
        default: throw PluginError(.garbage, "the schema's nesting of block \(place) is \(wire), not one of 1 to 5")
        }
    }
}

extension PluginNestedObject.Nesting {
    init(wire: Int, at place: String) throws {
        switch wire {
        case 1: self = .single
        case 2: self = .list
        case 3: self = .set
        case 4: self = .map
        default: throw PluginError(.garbage, "the schema's nesting of attribute \(place) is \(wire), not one of 1 to 4")
        }
    }
}
