import TendModel

/// A type of Terraform's value system (cty), as plugin schemas declare attributes and as dynamic values carry it.
public indirect enum CtyType: Sendable, Hashable {
    case string
    case number
    case bool
    /// Any type: the value says which (`DynamicPseudoType`).
    case dynamic
    case list(CtyType)
    case set(CtyType)
    case map(CtyType)
    /// Attributes by name; `optional` names the ones a type constraint lets be left out (never in a value's type).
    case object([String: CtyType], optional: Set<String>)
    case tuple([CtyType])

    /// An object type with no optional attributes.
    public static func object(_ attributes: [String: CtyType]) -> CtyType {
        .object(attributes, optional: [])
    }

    /// tend's view of the type: dynamic is `any`, a tuple a list of anything, an object an object (its optional
    /// markers dropped).
    public var attributeType: AttributeType {
        switch self {
        case .string: return .string
        case .number: return .number
        case .bool: return .bool
        case .dynamic: return .any
        case let .list(element): return .list(element.attributeType)
        case let .set(element): return .set(element.attributeType)
        case let .map(element): return .map(element.attributeType)
        case let .object(attributes, _): return .object(attributes.mapValues(\.attributeType))
        case .tuple: return .list(.any)
        }
    }

    /// The element type of a list, set or map; nil for the others.
    public var elementType: CtyType? {
        switch self {
        case let .list(element), let .set(element), let .map(element): return element
        default: return nil
        }
    }

    /// Whether `dynamic` appears anywhere in the type.
    public var containsDynamic: Bool {
        switch self {
        case .dynamic: return true
        case .string, .number, .bool: return false
        case let .list(element), let .set(element), let .map(element): return element.containsDynamic
        case let .object(attributes, _): return attributes.values.contains(where: \.containsDynamic)
        case let .tuple(elements): return elements.contains(where: \.containsDynamic)
        }
    }
}

extension CtyType: CustomStringConvertible {
    /// Terraform's way of naming the type in messages: `string`, `list of number`, `object`, `tuple`.
    public var description: String {
        switch self {
        case .string: return "string"
        case .number: return "number"
        case .bool: return "bool"
        case .dynamic: return "any type"
        case let .list(element): return "list of \(element)"
        case let .set(element): return "set of \(element)"
        case let .map(element): return "map of \(element)"
        case .object: return "object"
        case .tuple: return "tuple"
        }
    }
}
