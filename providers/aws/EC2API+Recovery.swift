import ProviderKit
import TendModel

/// Finding the object a create may have made: by tend's tags, or by what the API keeps unique (a subnet's CIDR
/// block in its VPC, a group's name in its VPC), adopting it only when its tags say tend made it for this address
/// of this stack.
extension EC2API {
    /// Ids of objects the operation in progress replaces (`ProviderContext.replacing`): they carry the same address
    /// tag, and are never taken for the object being created.
    @TaskLocal static var replaced: Set<String> = []

    /// The one item carrying exactly `tags`, objects being replaced left out; nil when none does. Several is a
    /// conflict: adopting one would leave the others behind unseen, so the user is told their ids instead.
    static func single(_ items: [XMLNode], tagged tags: [String: String], idKey: String, subject: String) throws -> XMLNode? {
        let excluded = replaced
        let found = items.filter { hasTags($0, tags) && !excluded.contains($0.string(idKey) ?? "") }
            .sorted { ($0.string(idKey) ?? "") < ($1.string(idKey) ?? "") }
        guard found.count > 1 else { return found.first }
        let ids = found.compactMap { $0.string(idKey) }.joined(separator: ", ")
        throw ProviderError(.conflict, "\(subject): \(found.count) objects carry tend:address \(tags["tend:address"] ?? "?") "
                            + "of stack \(tags["tend:stack"] ?? "?") (\(ids)); delete all but one, then apply again",
                            remoteCode: "TendDuplicate")
    }

    /// The one object tend made for `tags` (its address and stack), looked up by those tags; nil when there is none.
    static func taggedCopy(_ session: AWSSession, _ action: String, tags: [String: String], items: (XMLNode) -> [XMLNode],
                           idKey: String, subject: String) async throws -> XMLNode? {
        let pages = try await describeAll(session, action, tagFilters(tags), subject: subject)
        return try single(pages.flatMap(items), tagged: tags, idKey: idKey, subject: subject)
    }

    /// `taggedCopy` for a create about to be sent, which first looks for a copy an earlier, interrupted run made. The
    /// first creates of a kind in a session look alone; later ones look in one listing of every object of the kind
    /// that carries the stack's tag, shared through the session's `AWSInventory` (which leaves out objects deleted
    /// since). Either way an object is adopted only when its tags name exactly this address and stack.
    static func earlierCopy(_ session: AWSSession, _ action: String, tags: [String: String],
                            items: @escaping @Sendable (XMLNode) -> [XMLNode], idKey: String, subject: String) async throws -> XMLNode? {
        let stack = tags.filter { $0.key == "tend:stack" }
        let kind = "\(action) \(stack.values.first ?? "")"
        guard !(await session.inventory.looksUpAlone(kind)) else {
            return try await taggedCopy(session, action, tags: tags, items: items, idKey: idKey, subject: subject)
        }
        let listed = try await session.inventory.taggedObjects(kind, now: session.clock(), list: {
            try await describeAll(session, action, tagFilters(stack), subject: "\(action) of stack \(stack.values.first ?? "")").flatMap(items)
        }, id: { $0.string(idKey) })
        return try single(listed, tagged: tags, idKey: idKey, subject: subject)
    }

    /// The objects matching `filters` (by name, by CIDR block); the one among them tend made for `tags`, nil when
    /// there is none; a conflict naming the owner when one exists that tend did not make for this address.
    /// `error` is the create's error that sent the caller looking (`InvalidGroup.Duplicate`, `InvalidSubnet.Conflict`).
    static func owned(_ session: AWSSession, _ action: String, filters: [String: String], items: (XMLNode) -> [XMLNode],
                      idKey: String, tags: [String: String], subject: String, error: ProviderError) async throws -> XMLNode? {
        let found = try await describeAll(session, action, filters, subject: subject).flatMap(items)
        if let mine = try single(found, tagged: tags, idKey: idKey, subject: subject) { return mine }
        guard let other = found.first else { return nil }
        let owner = ownerTags(other)
        let by = owner["tend:address"].map { "tend address \($0) of stack \(owner["tend:stack"] ?? "?")" } ?? "something other than tend"
        throw ProviderError(.conflict, "\(subject): \(other.string(idKey) ?? "an object") is in the way, made by \(by): "
                            + error.message, remoteCode: error.remoteCode)
    }

    /// The `tend:*` tags of an item.
    static func ownerTags(_ item: XMLNode) -> [String: String] {
        var found: [String: String] = [:]
        for tag in item.child("tagSet")?.items ?? [] {
            if let key = tag.string("key"), key.hasPrefix(EC2Tags.tendPrefix) { found[key] = tag.string("value") ?? "" }
        }
        return found
    }
}
