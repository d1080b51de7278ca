/// The checks the conformance suite runs.
public enum ConformanceCheck: String, Sendable, Hashable, Codable, CaseIterable {
    /// Plan accepts the case's desired and updated attributes.
    case plan
    /// Creating twice with the same address and attributes gives the same id, no error, one object.
    case createIsRetrySafe = "create_is_retry_safe"
    /// Observe after create reports every declared attribute (and every planned computed one) as planned.
    case observeMatchesCreate = "observe_matches_create"
    /// Update changes what was asked, and observe shows it.
    case updateApplies = "update_applies"
    /// After delete, observe reports nothing.
    case deleteRemoves = "delete_removes"
    /// Deleting something already gone succeeds.
    case deleteOfGoneSucceeds = "delete_of_gone_succeeds"
    /// Observe of an id that names nothing is nil.
    case observeUnknownIsNil = "observe_unknown_is_nil"
    /// Import by id with no prior finds the created object, finds nothing at an unknown id, and state recorded
    /// under the current schema version upgrades to itself.
    case importFindsObject = "import_finds_object"
    /// Configure and fetching schemas succeed, and the fetched schemas include every static one.
    case lifecycle
    /// Recover (what the engine asks after a create whose outcome is unknown) finds the created object by its
    /// address, or nothing when the provider cannot recover; after delete it finds nothing, so a create is not skipped.
    case recoverFindsTheObject = "recover_finds_the_object"
    /// Invalid input fails terminally; probes fail as transient or terminal as expected.
    case errorsAreClassified = "errors_are_classified"
}

/// One failed conformance check.
public struct ConformanceFailure: Sendable, Hashable, CustomStringConvertible {
    /// The resource type the check ran against.
    public var type: String
    /// The check that failed.
    public var check: ConformanceCheck
    /// What went wrong.
    public var message: String

    /// Creates a failure.
    public init(type: String, check: ConformanceCheck, message: String) {
        self.type = type
        self.check = check
        self.message = message
    }

    /// `type: check: message`.
    public var description: String { "\(type): \(check.rawValue): \(message)" }
}
