import Dispatch
import Synchronization
import TendModel

/// Decodes the attribute JSON of resource rows on other threads while SQLite reads on: rows are copied out in chunks,
/// each chunk parsed on dispatch's threads. At most a few chunks wait at a time, so memory stays bounded.
final class AttributeDecoder: @unchecked Sendable {
    /// One run of rows: their JSON back to back, where each ends, and whose they are.
    private struct Chunk: Sendable {
        var index: Int
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var addresses: [ResourceAddress] = []
    }

    static let rowsPerChunk = 256
    private let column: String
    private let sharing: [ResourceAddress: [String: String]]
    private let group = DispatchGroup()
    private let slots = DispatchSemaphore(value: 4)
    private let decoded = Mutex<[Int: [[String: Value]]]>([:])
    private let failures = Mutex<[Int: any Error]>([:])
    // Touched only by the reading thread.
    private var pending: Chunk
    private var chunkCount = 0

    /// `sharing`: strings to hand out for byte-identical attribute values, by address and key.
    init(column: String, sharing: [ResourceAddress: [String: String]]) {
        self.column = column
        self.sharing = sharing
        pending = Chunk(index: 0)
    }

    /// Adds one row's attribute JSON (copied; the bytes may be gone once this returns).
    func add(_ json: UnsafeBufferPointer<UInt8>, of address: ResourceAddress) {
        pending.bytes.append(contentsOf: json)
        pending.ends.append(pending.bytes.count)
        pending.addresses.append(address)
        if pending.addresses.count == Self.rowsPerChunk { submit() }
    }

    /// Every row's attributes, in the order they were added; the first damaged row's error otherwise.
    func finish() throws -> [[String: Value]] {
        submit()
        group.wait()
        if let failure = failures.withLock({ found in found.keys.min().flatMap { found[$0] } }) { throw failure }
        return try decoded.withLock { found in
            var all: [[String: Value]] = []
            for index in 0..<chunkCount {
                guard let rows = found.removeValue(forKey: index) else {
                    throw StateError(.corrupt, "state column \(column) could not be read")
                }
                all += rows
            }
            return all
        }
    }

    private func submit() {
        guard !pending.addresses.isEmpty else { return }
        let chunk = pending
        chunkCount += 1
        pending = Chunk(index: chunkCount)
        // Rows of one state are alike: the next chunk gets room for as much as this one held.
        pending.bytes.reserveCapacity(chunk.bytes.count + chunk.bytes.count / 8)
        pending.ends.reserveCapacity(Self.rowsPerChunk)
        pending.addresses.reserveCapacity(Self.rowsPerChunk)
        slots.wait()
        DispatchQueue.global().async(group: group) { [self] in
            defer { slots.signal() }
            do {
                let rows = try decode(chunk)
                decoded.withLock { $0[chunk.index] = rows }
            } catch {
                failures.withLock { $0[chunk.index] = error }
            }
        }
    }

    private func decode(_ chunk: Chunk) throws -> [[String: Value]] {
        try chunk.bytes.withUnsafeBufferPointer { all in
            var rows: [[String: Value]] = []
            rows.reserveCapacity(chunk.ends.count)
            var start = 0
            for (row, end) in chunk.ends.enumerated() {
                let json = UnsafeBufferPointer(rebasing: all[start..<end])
                rows.append(try StateJSON.decodeAttributes(json, column: column, sharing: sharing[chunk.addresses[row]] ?? [:]))
                start = end
            }
            return rows
        }
    }
}
