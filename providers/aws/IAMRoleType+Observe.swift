import ProviderKit
import TendModel

extension IAMRoleType {
    /// Up to this many roles are read one GetRole each; more take the two account-wide calls.
    static let singleReadLimit = 2

    /// GetRole: one request, tags included.
    func observe(id: String, prior: [String: Value], scope: ReadScope, session: AWSSession) async throws -> [String: Value]? {
        try await Self.role(id, session: session)?.attributes(prior: prior)
    }

    /// ListRoles (under the priors' common path) for every attribute but tags, and, side by side when a role's
    /// scope holds `tags`, GetAccountAuthorizationDetails filtered to roles for every role's tags: one or two
    /// requests per 1,000 roles however many are asked for. Without permission for the second call, tags come
    /// from ListRoleTags per role whose scope holds them, 16 at a time. Tags outside a role's scope are reported
    /// as its prior has them. Two roles or fewer are read with GetRole each, which is cheaper.
    func observe(priors: [String: [String: Value]], scope: ReadScope, session: AWSSession) async throws -> [String: [String: Value]]? {
        let ids = priors.keys.sorted()
        if ids.count <= Self.singleReadLimit {
            let observed = try await AWSProvider.boundedMap(ids) { id in
                (id, try await self.observe(id: id, prior: priors[id] ?? [:], scope: scope, session: session))
            }
            return observed.reduce(into: [:]) { byID, pair in byID[pair.0] = pair.1 }
        }
        let prefix = Self.commonPathPrefix(priors.values.map { $0["path"]?.stringValue ?? "/" })
        let tagged = Set(scope.reading("tags", among: ids))
        async let listed = Self.listRoles(pathPrefix: prefix, session: session)
        async let scanned = tagged.isEmpty ? [:] : Self.tagsOfEveryRole(session: session)
        let wanted = Set(ids)
        var roles = try await listed.filter { wanted.contains($0.name) }
        let tagsByName = try await scanned ?? [:]
        let untagged = roles.filter { tagged.contains($0.name) && tagsByName[$0.name] == nil }.map(\.name)
        let fetched = try await AWSProvider.boundedMap(untagged) { name in (name, try await Self.listRoleTags(name, session: session)) }
        let allTags = tagsByName.merging(fetched.compactMap { pair in pair.1.map { (pair.0, $0) } }) { _, new in new }
        var byID: [String: [String: Value]] = [:]
        for index in roles.indices {
            let name = roles[index].name
            let prior = priors[name] ?? [:]
            guard tagged.contains(name) else {
                byID[name] = roles[index].attributes(prior: prior).merging(["tags": prior["tags"] ?? .map([:])]) { _, prior in prior }
                continue
            }
            guard let tags = allTags[name] else { continue }   // deleted between the calls
            roles[index].tags = tags
            byID[name] = roles[index].attributes(prior: prior)
        }
        return byID
    }

    /// Every role under a path prefix (all when nil), following Marker while IsTruncated.
    static func listRoles(pathPrefix: String?, session: AWSSession) async throws -> [IAMRole] {
        var roles: [IAMRole] = []
        var marker: String?
        repeat {
            try Task.checkCancellation()
            var parameters = ["MaxItems": "1000"]
            if let pathPrefix, pathPrefix != "/" { parameters["PathPrefix"] = pathPrefix }
            if let marker { parameters["Marker"] = marker }
            let document = try await session.query(service: "iam", version: version, action: "ListRoles", parameters: parameters)
            let result = document.child("ListRolesResult")
            roles += result?.child("Roles")?.items.compactMap(IAMRole.init) ?? []
            marker = result?.string("IsTruncated") == "true" ? result?.string("Marker") : nil
        } while marker != nil
        return roles
    }

    /// Tags of every role in the account by name, from GetAccountAuthorizationDetails; nil when that call is
    /// denied (it needs its own permission), so the caller falls back to ListRoleTags.
    static func tagsOfEveryRole(session: AWSSession) async throws -> [String: [String: String]]? {
        var tags: [String: [String: String]] = [:]
        var marker: String?
        do {
            repeat {
                try Task.checkCancellation()
                var parameters = ["Filter.member.1": "Role", "MaxItems": "1000"]
                if let marker { parameters["Marker"] = marker }
                let document = try await session.query(service: "iam", version: version, action: "GetAccountAuthorizationDetails",
                                                       parameters: parameters)
                let result = document.child("GetAccountAuthorizationDetailsResult")
                for member in result?.child("RoleDetailList")?.items ?? [] {
                    if let name = member.string("RoleName") { tags[name] = member.child("Tags").map(IAMRole.tags(in:)) ?? [:] }
                }
                marker = result?.string("IsTruncated") == "true" ? result?.string("Marker") : nil
            } while marker != nil
        } catch let error as ProviderError where error.code == .accessDenied {
            return nil
        }
        return tags
    }

    /// ListRoleTags for one role, following Marker; nil when the role is gone.
    static func listRoleTags(_ name: String, session: AWSSession) async throws -> [String: String]? {
        var tags: [String: String] = [:]
        var marker: String?
        do {
            repeat {
                var parameters = ["RoleName": name]
                if let marker { parameters["Marker"] = marker }
                let document = try await call("ListRoleTags", parameters, role: name, session: session)
                let result = document.child("ListRoleTagsResult")
                tags.merge(result?.child("Tags").map(IAMRole.tags(in:)) ?? [:]) { _, new in new }
                marker = result?.string("IsTruncated") == "true" ? result?.string("Marker") : nil
            } while marker != nil
        } catch let error as ProviderError where error.remoteCode == "NoSuchEntity" {
            return nil
        }
        return tags
    }

    /// The longest path prefix, ending in `/`, that every path shares.
    static func commonPathPrefix(_ paths: [String]) -> String {
        guard var prefix = paths.first else { return "/" }
        for path in paths.dropFirst() {
            while !path.hasPrefix(prefix) { prefix.removeLast() }
        }
        guard let slash = prefix.lastIndex(of: "/") else { return "/" }
        return String(prefix[...slash])
    }
}
