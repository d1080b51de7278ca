import Foundation
import TendModel

/// Seals the values a state holds at rest and opens them again (docs/state-encryption.md).
///
/// A sealed value is a JSON string in place of the value: `tend:sealed:v1:` and the base64 of a fresh 12-byte nonce,
/// the AES-256-GCM ciphertext of the value's canonical JSON, and the 16-byte tag. The associated data binds it to where
/// it belongs: the resource type, the object's id and the attribute path (or the history entry's address, time,
/// action and side), so a sealed value copied into another record, path or entry does not open. A record's id, unlike
/// its address, survives `tend state mv`; a history entry's serial is left out because `accept` numbers its entry
/// inside the store's transaction. In mode `all` a record's whole attributes are one sealed value under the key
/// `tend:sealed`, and its provider private data is sealed too.
struct StateSealer {
    /// What starts a sealed value.
    static let prefix = "tend:sealed:v1:"
    /// The one attribute of a record whose whole attributes are sealed.
    static let wholeKey = "tend:sealed"

    /// The key; nil when none was given: opening a sealed value then fails with `.keyMissing`.
    let key: StateKey?
    /// What sealing seals (opening opens whatever it finds).
    let mode: StateEncryption.Mode
    /// Where the state is, for errors.
    let location: String

    // MARK: Records

    /// `record` with its sensitive values (or, in mode `all`, its whole attributes) sealed.
    func seal(_ record: ResourceRecord) throws -> ResourceRecord {
        guard let key else { return record }
        var sealed = record
        switch mode {
        case .sensitive:
            guard !record.sensitivePaths.isEmpty else { return record }
            sealed.attributes = try Self.walk(record.attributes, paths: record.sensitivePaths) { value, path in
                if value == .null || value == .unknown || Self.isSealed(value) { return value }
                return try Self.seal(value, key: key, associatedData: Self.binding(record, path: path))
            }
        case .all:
            sealed.attributes = [Self.wholeKey: try Self.seal(.map(record.attributes), key: key,
                                                              associatedData: Self.binding(record, path: nil))]
            if let privateData = record.privateData, !privateData.hasPrefix(Self.prefix) {
                sealed.privateData = try Self.seal(.string(privateData), key: key,
                                                   associatedData: Self.privateBinding(record)).stringValue
            }
        }
        return sealed
    }

    /// `record` with every sealed value opened; unsealed values (written before the state was encrypted) as they are.
    func open(_ record: ResourceRecord) throws -> ResourceRecord {
        var opened = record
        if let privateData = record.privateData, privateData.hasPrefix(Self.prefix) {
            let value = try open(.string(privateData), associatedData: Self.privateBinding(record),
                                 what: "the private data of \(record.address)")
            guard case let .string(text) = value else {
                throw StateError(.corrupt, "the sealed private data of \(record.address) in \(location) is not text")
            }
            opened.privateData = text
        }
        if record.attributes.count == 1, let whole = record.attributes[Self.wholeKey], Self.isSealed(whole) {
            let value = try open(whole, associatedData: Self.binding(record, path: nil),
                                 what: "the attributes of \(record.address)")
            guard case let .map(attributes) = value else {
                throw StateError(.corrupt, "the sealed attributes of \(record.address) in \(location) are not an object")
            }
            opened.attributes = attributes
        }
        guard !record.sensitivePaths.isEmpty else { return opened }
        opened.attributes = try Self.walk(opened.attributes, paths: record.sensitivePaths) { value, path in
            guard Self.isSealed(value) else { return value }
            return try open(value, associatedData: Self.binding(record, path: path),
                            what: "the sensitive value \(path) of \(record.address)")
        }
        return opened
    }

    // MARK: History

    /// `entry` with its before and after sealed in mode `all` (they hold no sensitive values: those are redacted
    /// before they reach the state), as it is otherwise.
    func seal(_ entry: HistoryEntry) throws -> HistoryEntry {
        guard let key, mode == .all else { return entry }
        var sealed = entry
        sealed.before = try entry.before.map {
            [Self.wholeKey: try Self.seal(.map($0), key: key, associatedData: Self.binding(entry, side: "before"))]
        }
        sealed.after = try entry.after.map {
            [Self.wholeKey: try Self.seal(.map($0), key: key, associatedData: Self.binding(entry, side: "after"))]
        }
        return sealed
    }

    /// `entry` with a sealed before or after opened.
    func open(_ entry: HistoryEntry) throws -> HistoryEntry {
        var opened = entry
        opened.before = try entry.before.map { try open($0, of: entry, side: "before") }
        opened.after = try entry.after.map { try open($0, of: entry, side: "after") }
        return opened
    }

    private func open(_ attributes: [String: Value], of entry: HistoryEntry, side: String) throws -> [String: Value] {
        guard attributes.count == 1, let whole = attributes[Self.wholeKey], Self.isSealed(whole) else { return attributes }
        let value = try open(whole, associatedData: Self.binding(entry, side: side),
                             what: "the \(side) of history entry \(entry.serial) of \(entry.address)")
        guard case let .map(opened) = value else {
            throw StateError(.corrupt, "the sealed \(side) of a history entry of \(entry.address) in \(location) is not an object")
        }
        return opened
    }

    // MARK: Values

    /// Whether `value` is a sealed value.
    static func isSealed(_ value: Value) -> Bool {
        if case let .string(text) = value { return text.hasPrefix(prefix) }
        return false
    }

    /// Whether `record` holds a sealed value anywhere this sealer would look.
    static func holdsSealedValues(_ record: ResourceRecord) -> Bool {
        if record.attributes.count == 1, let whole = record.attributes[wholeKey], isSealed(whole) { return true }
        if record.privateData?.hasPrefix(prefix) == true { return true }
        // Values are sealed only at sensitive paths: without any, there is nothing to walk.
        if record.sensitivePaths.isEmpty { return false }
        var found = false
        // The walk only reads here: the closure returns every value unchanged.
        _ = walk(record.attributes, paths: record.sensitivePaths) { value, _ in
            if isSealed(value) { found = true }
            return value
        }
        return found
    }

    static func seal(_ value: Value, key: StateKey, associatedData: [UInt8]) throws -> Value {
        let plaintext = Array(StateJSON.encode(["v": value]).utf8)
        let box = try key.cipher.seal(plaintext, associatedData: associatedData)
        return .string(prefix + Data(box.nonce + box.ciphertext + box.tag).base64EncodedString())
    }

    func open(_ value: Value, associatedData: [UInt8], what: String) throws -> Value {
        guard let key else {
            throw StateError(.keyMissing, "\(location) holds encrypted values (\(what)) and no state key was given: set "
                + "TEND_STATE_KEY or TEND_STATE_KEY_FILE, or pass --state-key-file (docs/state-encryption.md)")
        }
        guard case let .string(text) = value, let data = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))),
              data.count >= 28 else {
            throw StateError(.corrupt, "\(what) in \(location) is damaged: not a sealed value")
        }
        let bytes = Array(data)
        let box = PlanKey.Sealed(nonce: Array(bytes[0..<12]), ciphertext: Array(bytes[12..<(bytes.count - 16)]),
                                 tag: Array(bytes.suffix(16)))
        let plaintext: [UInt8]
        do { plaintext = try key.cipher.unseal(box, associatedData: associatedData) } catch {
            throw StateError(.corrupt, "\(what) in \(location) does not decrypt with state key \(key.id): it was "
                + "altered, copied from another record, or sealed under another key")
        }
        let wrapper = try StateJSON.decodeAttributes(String(decoding: plaintext, as: UTF8.self), column: what)
        guard let opened = wrapper["v"] else { throw StateError(.corrupt, "\(what) in \(location) is damaged") }
        return opened
    }

    // MARK: Associated data

    /// What a record's sealed value is bound to: its type, its object's id and the attribute path (nil: the whole).
    private static func binding(_ record: ResourceRecord, path: AttributePath?) -> [UInt8] {
        let place = path.map { StateJSON.encode(paths: [$0]) } ?? "*"
        return Array("tend/state/v1\u{0}resource\u{0}\(record.type)\u{0}\(record.id)\u{0}\(place)".utf8)
    }

    private static func privateBinding(_ record: ResourceRecord) -> [UInt8] {
        Array("tend/state/v1\u{0}private\u{0}\(record.type)\u{0}\(record.id)".utf8)
    }

    private static func binding(_ entry: HistoryEntry, side: String) -> [UInt8] {
        let at = entry.at.timeIntervalSince1970.bitPattern
        return Array("tend/state/v1\u{0}history\u{0}\(entry.address)\u{0}\(at)\u{0}\(entry.action)\u{0}\(side)".utf8)
    }

    // MARK: Walking paths

    /// `attributes` with `body` applied where each path leads: at the path's end, at a set on the way (a set's
    /// elements have no stable place, so the whole set is sealed), or at a sealed value on the way. Shorter paths go
    /// first, so a value sealed whole is opened before the paths inside it are walked. Paths that lead nowhere change
    /// nothing.
    static func walk(_ attributes: [String: Value], paths: [AttributePath],
                     _ body: (Value, AttributePath) throws -> Value) rethrows -> [String: Value] {
        var root = Value.map(attributes)
        for path in paths.sorted(by: { ($0.components.count, $0) < ($1.components.count, $1) }) where !path.components.isEmpty {
            root = try update(root, path.components[...], walked: AttributePath([]), body)
        }
        return root.mapValue ?? attributes
    }

    private static func update(_ value: Value, _ rest: ArraySlice<AttributePath.Component>, walked: AttributePath,
                               _ body: (Value, AttributePath) throws -> Value) rethrows -> Value {
        guard let first = rest.first else { return try body(value, walked) }
        switch (value, first) {
        case (.map(var entries), .key(let key)):
            guard let item = entries[key] else { return value }
            entries[key] = try update(item, rest.dropFirst(), walked: walked.appending(.key(key)), body)
            return .map(entries)
        case (.list(var items), .index(let index)):
            guard items.indices.contains(index) else { return value }
            items[index] = try update(items[index], rest.dropFirst(), walked: walked.appending(.index(index)), body)
            return .list(items)
        case (.set, _):
            return try body(value, walked)
        case (.string, _) where isSealed(value):
            return try body(value, walked)
        default:
            return value
        }
    }
}
