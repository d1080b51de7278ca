import Foundation
import TendModel
import TendState
import Testing

/// The checks of what is stored reads back: records, strings shared with the configuration, outputs.
extension StateStoreBehaviour {
    static let records: [Check] = [
        Check("replacesTheRecordedOutputsAsAWhole") { try replacesTheRecordedOutputsAsAWhole($0.open()) },
        Check("roundTripsRecords") { try roundTripsRecords($0.open()) },
        Check("sharesStringsThatAreByteForByteTheSame") { try sharesStringsThatAreByteForByteTheSame($0.open()) },
        Check("listsResourcesSortedByAddress") { try listsResourcesSortedByAddress($0.open()) },
        Check("putReplacesAndRemoveDeletesWithHistory") { try putReplacesAndRemoveDeletesWithHistory($0.open()) },
    ]

    static func replacesTheRecordedOutputsAsAWhole(_ store: any StateStore) throws {
        _ = try store.initialize()
        #expect(try store.outputs().isEmpty)
        let first = [OutputValue(name: "b", value: .list([.number(1), .string("x")]), sensitive: false),
                     OutputValue(name: "a", value: .string("secret"), sensitive: true)]
        try store.replaceOutputs(first)
        #expect(try store.outputs() == first.sorted { $0.name < $1.name }, "sorted by name, values and marks as written")
        try store.replaceOutputs([OutputValue(name: "c", value: .bool(true), sensitive: false)])
        #expect(try store.outputs().map(\.name) == ["c"], "outputs no longer declared are gone")
        try store.replaceOutputs([])
        #expect(try store.outputs().isEmpty)
    }

    static func roundTripsRecords(_ store: any StateStore) throws {
        let record = StateSample.record(web)
        let pending = StateSample.record(ResourceAddress(name: "site", key: .string("b\"]")), status: .createPending)

        try store.put(record, history: nil)
        try store.put(pending, history: nil)

        #expect(try store.resource(web) == record)
        #expect(try store.resource(pending.address) == pending)
        #expect(try store.resource(ResourceAddress(name: "absent")) == nil)
    }

    /// Reading with shared strings gives the very string passed in (same buffer) for byte-identical attribute values,
    /// escaped or not, and the recorded value otherwise: other bytes, canonically equal text, nested values.
    static func sharesStringsThatAreByteForByteTheSame(_ store: any StateStore) throws {
        let text = String(repeating: "line with \"quotes\", \\ and \t tabs\n", count: 50) + "caf\u{E9} \u{1F600}"
        var record = StateSample.record(web)
        record.attributes = ["content": .string(text), "path": .string("/srv/a-rather-long-path/caf\u{E9}"),
                             "other": .string("not the shared one at all"), "nested": .map(["content": .string(text)])]
        try store.put(record, history: nil)
        let sharedContent = String(decoding: Array(text.utf8), as: UTF8.self)
        let decomposed = "/srv/a-rather-long-path/cafe\u{301}"
        let sharing = [web: ["content": sharedContent, "path": decomposed, "other": "something else, also long",
                             "nested": "no"]]
        let read = try #require(try store.resources(sharing: SharedStrings(sharing)).first)
        #expect(read.attributes == record.attributes)
        #expect(storage(read.attributes["content"]?.stringValue) == storage(sharedContent))
        #expect(read.attributes["path"]?.stringValue?.utf8.elementsEqual(decomposed.utf8) == false)
        #expect(read.attributes["other"] == .string("not the shared one at all"))
        #expect(try store.resources().first?.attributes == record.attributes)
    }

    static func listsResourcesSortedByAddress(_ store: any StateStore) throws {
        let addresses = [
            ResourceAddress(name: "disk", key: .index(10)), ResourceAddress(name: "web"),
            ResourceAddress(name: "disk", key: .index(2)), ResourceAddress(name: "disk"),
        ]
        for address in addresses { try store.put(StateSample.record(address), history: nil) }

        #expect(try store.resources().map(\.address) == addresses.sorted())
    }

    static func putReplacesAndRemoveDeletesWithHistory(_ store: any StateStore) throws {
        var record = StateSample.record(web)
        try store.put(record, history: StateSample.history(web, serial: 1))
        record.attributes = ["content": .string("changed")]
        record.status = .created
        try store.put(record, history: StateSample.history(web, serial: 2, action: "update"))

        #expect(try store.resources() == [record])

        try store.remove(web, history: StateSample.history(web, serial: 3, action: "delete"))
        try store.remove(web, history: nil)

        #expect(try store.resources().isEmpty)
        #expect(try store.history(address: web, limit: 0).map(\.action) == ["delete", "update", "create"])
    }

    /// The address of a native string's UTF-8 buffer.
    private static func storage(_ text: String?) -> UInt? {
        guard var text else { return nil }
        return text.withUTF8 { $0.baseAddress.map { UInt(bitPattern: $0) } }
    }
}
