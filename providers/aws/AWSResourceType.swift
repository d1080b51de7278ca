import ProviderKit
import TendModel

/// One AWS resource type: its schema and operations against a session. The provider dispatches to it.
protocol AWSResourceType: Sendable {
    var schema: ResourceSchema { get }

    /// Normalises desired values; the default returns them unchanged.
    func plan(_ desired: [String: Value], session: AWSSession) async throws -> [String: Value]

    /// One object; nil when gone. Attributes outside `scope` may be reported as `prior` holds them.
    func observe(id: String, prior: [String: Value], scope: ReadScope, session: AWSSession) async throws -> [String: Value]?

    /// Many objects in batched calls; attributes by id of those that exist. Nil: read one by one. Attributes outside
    /// `scope` may be reported as the priors hold them.
    func observe(priors: [String: [String: Value]], scope: ReadScope, session: AWSSession) async throws -> [String: [String: Value]]?

    /// Creates the object, tagged with `tags` (tend:stack and tend:address) where the API has tags.
    func create(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject

    func update(id: String, current: [String: Value], desired: [String: Value], session: AWSSession) async throws -> [String: Value]

    /// Deletes; succeeds when already gone.
    func delete(id: String, current: [String: Value], session: AWSSession) async throws

    /// Finds an object a crashed create left behind, by its tend:address/tend:stack tags (or name).
    func recover(address: ResourceAddress, desired: [String: Value], tags: [String: String], session: AWSSession) async throws -> CreatedObject?

    /// Ids of every object of the type in the account and region.
    func list(session: AWSSession) async throws -> [String]

    /// Every object of the type, with those AWS made by itself marked.
    func listObjects(session: AWSSession) async throws -> [ListedObject]
}

extension AWSResourceType {
    /// Types AWS makes no objects of by itself: every listed object is somebody's.
    func listObjects(session: AWSSession) async throws -> [ListedObject] {
        try await list(session: session).map { ListedObject(id: $0) }
    }

    func plan(_ desired: [String: Value], session: AWSSession) async throws -> [String: Value] { desired }

    /// Reads every attribute of one object: the reads a type makes for itself (update, recover).
    func observe(id: String, prior: [String: Value], session: AWSSession) async throws -> [String: Value]? {
        try await observe(id: id, prior: prior, scope: .everything, session: session)
    }

    func observe(priors: [String: [String: Value]], scope: ReadScope, session: AWSSession) async throws -> [String: [String: Value]]? { nil }
}
