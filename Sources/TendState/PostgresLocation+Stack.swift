import Foundation

extension PostgresLocation {
    /// `url` with its `stack` parameter set to `stack` (replacing one it had), everything else as written: the
    /// state URL of one stack of a shared schema.
    public static func url(_ url: String, stack: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        var items = (components.queryItems ?? []).filter { $0.name != "stack" }
        items.append(URLQueryItem(name: "stack", value: stack))
        components.queryItems = items
        return components.string ?? url
    }
}
