import TendModel

/// EC2 tags: the `TagSpecification` of a create, the user's tags of a `tagSet` (tend's own `tend:*` tags left
/// out, since tend manages them and they must never show as drift), and CreateTags/DeleteTags for an update.
enum EC2Tags {
    /// The prefix of the tags tend puts on every object it creates.
    static let tendPrefix = "tend:"

    /// `TagSpecification.1.*` parameters for a create: the user's tags plus tend's.
    static func specification(resourceType: String, user: [String: String], tend: [String: String]) -> [String: String] {
        var all = user.filter { !$0.key.hasPrefix(tendPrefix) }
        all.merge(tend) { _, tendValue in tendValue }
        var parameters = ["TagSpecification.1.ResourceType": resourceType]
        for (index, key) in all.keys.sorted().enumerated() {
            parameters["TagSpecification.1.Tag.\(index + 1).Key"] = key
            parameters["TagSpecification.1.Tag.\(index + 1).Value"] = all[key] ?? ""
        }
        return parameters
    }

    /// The user's tags on an object (its `tagSet`), without tend's.
    static func userTags(of item: XMLNode) -> Value {
        var tags: [String: Value] = [:]
        for tag in item.child("tagSet")?.items ?? [] {
            guard let key = tag.string("key"), !key.hasPrefix(tendPrefix) else { continue }
            tags[key] = .string(tag.string("value") ?? "")
        }
        return .map(tags)
    }

    /// The declared tags of desired attributes, as strings.
    static func declared(_ attributes: [String: Value]) -> [String: String] {
        var tags: [String: String] = [:]
        for (key, value) in attributes["tags"]?.mapValue ?? [:] {
            tags[key] = value.interpolationText ?? ""
        }
        return tags
    }

    /// Brings the user's tags on `id` from `current` to `desired` with CreateTags and DeleteTags; tend's tags stay.
    static func update(_ session: AWSSession, id: String, current: [String: Value], desired: [String: Value],
                       subject: String) async throws {
        let have = declared(current)
        let want = declared(desired).filter { !$0.key.hasPrefix(tendPrefix) }
        let changed = want.filter { have[$0.key] != $0.value }
        let removed = have.keys.filter { want[$0] == nil && !$0.hasPrefix(tendPrefix) }.sorted()
        if !changed.isEmpty {
            var parameters = ["ResourceId.1": id]
            for (index, key) in changed.keys.sorted().enumerated() {
                parameters["Tag.\(index + 1).Key"] = key
                parameters["Tag.\(index + 1).Value"] = changed[key] ?? ""
            }
            _ = try await EC2API.call(session, "CreateTags", parameters, subject: subject)
        }
        if !removed.isEmpty {
            var parameters = ["ResourceId.1": id]
            for (index, key) in removed.enumerated() { parameters["Tag.\(index + 1).Key"] = key }
            _ = try await EC2API.call(session, "DeleteTags", parameters, subject: subject)
        }
    }
}
