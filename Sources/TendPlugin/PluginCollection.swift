import TendModel

/// How nested objects (blocks or tfplugin6 nested attributes) are collected: one alone, or a list, set or map of
/// them. The shared shape of both nestings, so one walk serves both.
enum PluginCollection: Sendable, Hashable {
    case single, list, set, map

    /// `element` in this collection.
    func wrap(_ element: CtyType) -> CtyType {
        switch self {
        case .single: return element
        case .list: return .list(element)
        case .set: return .set(element)
        case .map: return .map(element)
        }
    }

    /// `value` (a collection of this kind) with each element transformed; anything else (null, unknown, a value of
    /// the wrong shape, left for encoding to refuse) as it is.
    func mapElements(_ value: Value, _ transform: (Value) -> Value) -> Value {
        switch (self, value) {
        case (_, .null), (_, .unknown): return value
        case (.single, _): return transform(value)
        case (.list, .list), (.list, .set): return .list((value.elements ?? []).map(transform))
        case (.set, .list), (.set, .set): return .set(of: (value.elements ?? []).map(transform))
        case let (.map, .map(entries)): return .map(entries.mapValues(transform))
        default: return value
        }
    }
}
