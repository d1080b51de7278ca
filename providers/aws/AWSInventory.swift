import Foundation

/// What one session learned by listing a whole type once, so that the many creates of one apply do not each send a
/// lookup of their own before creating.
///
/// Every answer errs on the safe side: a snapshot only ever lets a create skip a check for an object the snapshot
/// does *not* hold (a bucket name it did not list, an address no object of the stack carried). Objects deleted
/// through the session since are left out of what it returns, and a snapshot older than its lifetime is taken
/// again.
actor AWSInventory {
    /// A listing and when it was taken (by the session's clock).
    private struct Snapshot<Items: Sendable>: Sendable {
        let taken: Date
        let items: Items
    }

    /// How many creates of a kind look for an earlier copy of their object one by one before the kind's tagged
    /// objects are listed at once: an apply that creates one or two objects costs what it did, a bigger one one
    /// listing (a few pages) instead of one lookup per object.
    static let singleLookups = 2

    /// How long a listing of tagged objects is trusted. The stack's lock keeps other runs from making objects for
    /// it meanwhile; the lifetime bounds what a long-lived session (`tend watch`) relies on.
    static let taggedLifetime: TimeInterval = 60

    private var bucketNames: Task<Snapshot<Set<String>>, any Error>?
    private var tagged: [String: Task<Snapshot<[XMLNode]>, any Error>] = [:]
    private var lookups: [String: Int] = [:]
    private var deleted: Set<String> = []
    private var claimedBuckets: Set<String> = []

    /// Whether a bucket of this name is unknown to the session: not among the buckets that existed at most `lifetime`
    /// seconds ago (listed once and shared while the listing is young enough, listed again after), and not claimed
    /// by an earlier call. An unknown name is claimed by the call, so a second create of the same name in the session
    /// (another address declaring it, or a retry) is never taken for a new bucket.
    func claimsUnknownBucket(_ name: String, lifetime: TimeInterval, now: Date,
                             list: @escaping @Sendable () async throws -> [String]) async throws -> Bool {
        let listed: Set<String>
        // A failed listing is not reused (try? drops it): it is taken again below.
        if let task = bucketNames, let snapshot = try? await task.value, now.timeIntervalSince(snapshot.taken) <= lifetime {
            listed = snapshot.items
        } else {
            // A failed listing is not kept (try? above drops it): the next caller lists again.
            let task = Task { Snapshot(taken: now, items: Set(try await list())) }
            bucketNames = task
            listed = try await task.value.items
        }
        guard !listed.contains(name), !claimedBuckets.contains(name) else { return false }
        claimedBuckets.insert(name)
        return true
    }

    /// Whether the next create of `kind` should look for an earlier copy of its object with a lookup of its own
    /// (true for the first `singleLookups` creates of each kind in the session) rather than in `taggedObjects`.
    func looksUpAlone(_ kind: String) -> Bool {
        let count = lookups[kind, default: 0]
        lookups[kind] = count + 1
        return count < Self.singleLookups
    }

    /// Every object of `kind` carrying the stack's tag, as one listing shared by the creates of the session while it
    /// is younger than `taggedLifetime`; objects deleted through the session since are left out.
    func taggedObjects(_ kind: String, now: Date, list: @escaping @Sendable () async throws -> [XMLNode],
                       id: @escaping @Sendable (XMLNode) -> String?) async throws -> [XMLNode] {
        let snapshot: Snapshot<[XMLNode]>
        // A failed listing is not reused (try? drops it): it is taken again below.
        if let task = tagged[kind], let taken = try? await task.value, now.timeIntervalSince(taken.taken) <= Self.taggedLifetime {
            snapshot = taken
        } else {
            // A failed listing is not kept (try? above drops it): the next caller lists again.
            let task = Task { Snapshot(taken: now, items: try await list()) }
            tagged[kind] = task
            snapshot = try await task.value
        }
        let gone = deleted
        return snapshot.items.filter { item in id(item).map { !gone.contains($0) } ?? true }
    }

    /// Notes that the object with this id was deleted through the session, so no snapshot offers it again.
    func noteDeleted(_ id: String) {
        deleted.insert(id)
    }
}
