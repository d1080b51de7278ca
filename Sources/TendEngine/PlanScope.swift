import TendModel

/// One address an operator named with `--target`, `--exclude` or `--replace`: `NAME` (every instance of a
/// resource), `NAME[0]` or `NAME["key"]` (one instance), or any of these behind the resource type as Terraform
/// writes them (`aws_s3_bucket.logs`), or `data.NAME` for a data source.
struct AddressPattern: Sendable, Hashable, CustomStringConvertible {
    /// The text as given.
    var description: String
    /// The resource type, when the text named it.
    var type: String?
    var name: String
    /// The instance, when the text named one; nil matches every instance.
    var key: ResourceAddress.InstanceKey?

    /// Parses `text`; nil when it is no address.
    init?(parsing text: String) {
        description = text
        var rest = Substring(text)
        if rest.hasPrefix(ResourceAddress.dataSourcePrefix) {
            rest = rest.dropFirst(ResourceAddress.dataSourcePrefix.count)
            guard let address = ResourceAddress(parsing: String(rest)) else { return nil }
            name = ResourceAddress.dataSourcePrefix + address.name
            key = address.key
            return
        }
        let head = rest.firstIndex(of: "[").map { rest[..<$0] } ?? rest
        if let dot = head.firstIndex(of: ".") {
            let typeName = String(rest[..<dot])
            guard ResourceAddress.isValidName(typeName) else { return nil }
            type = typeName
            rest = rest[rest.index(after: dot)...]
        }
        guard let address = ResourceAddress(parsing: String(rest)) else { return nil }
        name = address.name
        key = address.key
    }

    func matches(_ address: ResourceAddress, type: String) -> Bool {
        address.name == name && (key == nil || address.key == key) && (self.type == nil || self.type == type)
    }
}

/// Works out which addresses a partial plan covers (`--target`, `--exclude`), and which it replaces.
struct PlanScope {
    /// One resource instance or data source the plan could touch, with what it depends on.
    struct Node {
        var address: ResourceAddress
        var type: String
        var dependencies: [ResourceAddress]
    }

    let nodes: [Node]

    /// The addresses the plan covers. Targets bring in what they depend on; exclusions take out what depends on
    /// them, so nothing planned refers to an object the plan leaves alone. A destroy plan walks the other way: a
    /// target takes what depends on it along (it cannot outlive what it needs), an exclusion keeps what it needs.
    /// Every address given must match something, so a typo never widens or empties a run unnoticed.
    func covered(by request: PlanRequest, destroy: Bool) throws -> Set<ResourceAddress> {
        var dependencies: [ResourceAddress: Set<ResourceAddress>] = [:]
        var dependents: [ResourceAddress: Set<ResourceAddress>] = [:]
        for node in nodes {
            dependencies[node.address, default: []].formUnion(node.dependencies)
            for dependency in node.dependencies { dependents[dependency, default: []].insert(node.address) }
        }
        let needs = destroy ? dependents : dependencies
        let neededBy = destroy ? dependencies : dependents
        var covered = Set(nodes.map(\.address))
        if !request.targets.isEmpty {
            covered = Self.closure(of: try matching(request.targets, flag: "--target"), along: needs)
        }
        if !request.excludes.isEmpty {
            covered.subtract(Self.closure(of: try matching(request.excludes, flag: "--exclude"), along: neededBy))
        }
        return covered
    }

    /// The resource instances `--replace` names; each must be a resource of the configuration.
    func replaced(_ texts: [String], configured: Set<ResourceAddress>) throws -> Set<ResourceAddress> {
        let found = try matching(texts, flag: "--replace")
        if let data = found.first(where: \.isDataSource) {
            throw EngineError(.invalidRequest, "--replace \(data): a data source is read, never replaced")
        }
        let missing = found.subtracting(configured)
        guard missing.isEmpty else {
            let list = missing.sorted().map(\.description).joined(separator: ", ")
            throw EngineError(.invalidRequest, "--replace names \(list), which the configuration does not declare (a replacement needs "
                              + "the configuration to create the new object from)")
        }
        return found
    }

    /// The addresses matching any of `texts`; an error names a text that is no address or matches nothing.
    private func matching(_ texts: [String], flag: String) throws -> Set<ResourceAddress> {
        var found: Set<ResourceAddress> = []
        for text in texts {
            guard let pattern = AddressPattern(parsing: text) else {
                throw EngineError(.invalidRequest, "\(flag) \(text): not a resource address (expected NAME, NAME[0], NAME[\"key\"] "
                                  + "or TYPE.NAME)")
            }
            let matched = nodes.filter { pattern.matches($0.address, type: $0.type) }.map(\.address)
            guard !matched.isEmpty else {
                throw EngineError(.invalidRequest, "\(flag) \(text) matches no resource in the configuration or the state")
            }
            found.formUnion(matched)
        }
        return found
    }

    private static func closure(of start: Set<ResourceAddress>, along edges: [ResourceAddress: Set<ResourceAddress>])
        -> Set<ResourceAddress> {
        var seen = start
        var pending = Array(start)
        while let next = pending.popLast() {
            for neighbour in edges[next] ?? [] where seen.insert(neighbour).inserted { pending.append(neighbour) }
        }
        return seen
    }
}
