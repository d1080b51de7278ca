import Dispatch
import Synchronization
import TendModel

/// The columns of one `resources` row, as SQLite hands them out or as copied out to be decoded elsewhere.
protocol ResourceColumns {
    func text(_ index: Int32) -> String
    func withText<T>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T
    func int64(_ index: Int32) -> Int64
    func double(_ index: Int32) -> Double
}

extension SQLiteStatement: ResourceColumns {}

/// Decodes `resources` rows on other threads while SQLite reads on: the reading thread only copies each row's
/// columns into a chunk, and each chunk of rows is decoded (JSON, addresses, shared strings) on dispatch's threads.
/// When chunks pile up, and once every row is read, the reading thread decodes waiting chunks itself, so memory
/// stays bounded and no core idles.
final class ResourceRowDecoder: @unchecked Sendable {
    /// Rows copied out: their text columns back to back, where each ends, and the two numeric columns.
    private struct Chunk: Sendable {
        var index: Int
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var integers: [Int64] = []
        var reals: [Double] = []
    }

    /// One copied row, read like SQLite's.
    private struct CopiedRow: ResourceColumns {
        let bytes: UnsafeBufferPointer<UInt8>
        let ends: ArraySlice<Int>
        let start: Int
        let integer: Int64
        let real: Double

        func withText<T>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
            guard let slot = ResourceRowDecoder.textColumns.firstIndex(of: index) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
            let from = slot == 0 ? start : ends[ends.startIndex + slot - 1]
            return try body(UnsafeBufferPointer(rebasing: bytes[from..<ends[ends.startIndex + slot]]))
        }

        func text(_ index: Int32) -> String { withText(index) { String(decoding: $0, as: UTF8.self) } }
        func int64(_ index: Int32) -> Int64 { integer }
        func double(_ index: Int32) -> Double { real }
    }

    /// The text columns of `SQLiteStateStore.resourceColumns`; 7 is the integer, 9 the real.
    static let textColumns: [Int32] = [0, 1, 2, 3, 4, 5, 6, 8, 10]
    /// Small enough that the rows copied out and waiting stay a few hundred KiB at 4 KiB a row.
    static let rowsPerChunk = 64
    private let sharing: SharedStrings
    private let group = DispatchGroup()
    private let waiting = Mutex<[Chunk]>([])
    private let decoded = Mutex<[Int: ElementRun<ResourceRecord>]>([:])
    private let failures = Mutex<[Int: any Error]>([:])
    // Touched only by the reading thread.
    private var pending: Chunk
    private var chunkCount = 0

    /// `sharing`: strings to hand out for byte-identical attribute values, by address and key.
    init(sharing: SharedStrings) {
        self.sharing = sharing
        pending = Chunk(index: 0)
    }

    /// Copies the current row of `statement`.
    func add(_ statement: SQLiteStatement) {
        for column in Self.textColumns {
            statement.withText(column) { pending.bytes.append(contentsOf: $0) }
            pending.ends.append(pending.bytes.count)
        }
        pending.integers.append(statement.int64(7))
        pending.reals.append(statement.double(9))
        if pending.integers.count == Self.rowsPerChunk { submit() }
    }

    /// Every row's record, in the order they were added; the first damaged row's error otherwise.
    func finish() throws -> [ResourceRecord] {
        submit()
        while decodeWaiting() {}
        group.wait()
        if let failure = failures.withLock({ found in found.keys.min().flatMap { found[$0] } }) { throw failure }
        return try decoded.withLock { found in
            var runs: [ElementRun<ResourceRecord>] = []
            runs.reserveCapacity(chunkCount)
            for index in 0..<chunkCount {
                guard let rows = found.removeValue(forKey: index) else {
                    throw StateError(.corrupt, "state table resources could not be read")
                }
                runs.append(rows)
            }
            // Each record is moved into the array once, not copied out of its chunk.
            return ElementRun.joined(runs)
        }
    }

    private func submit() {
        guard !pending.integers.isEmpty else { return }
        let chunk = pending
        chunkCount += 1
        pending = Chunk(index: chunkCount)
        // Rows of one state are alike: the next chunk gets room for as much as this one held.
        pending.bytes.reserveCapacity(chunk.bytes.count + chunk.bytes.count / 8)
        pending.ends.reserveCapacity(chunk.ends.count)
        let backlog = waiting.withLock { queue in
            queue.append(chunk)
            return queue.count
        }
        DispatchQueue.global().async(group: group) { [self] in _ = decodeWaiting() }
        if backlog > 2 { _ = decodeWaiting() }
    }

    /// Decodes the oldest waiting chunk; false when none waits (another thread took it).
    private func decodeWaiting() -> Bool {
        guard let chunk = waiting.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { return false }
        do {
            let rows = try decode(chunk)
            decoded.withLock { $0[chunk.index] = rows }
        } catch {
            failures.withLock { $0[chunk.index] = error }
        }
        return true
    }

    private func decode(_ chunk: Chunk) throws -> ElementRun<ResourceRecord> {
        try chunk.bytes.withUnsafeBufferPointer { all in
            let rows = ElementRun<ResourceRecord>(capacity: chunk.integers.count)
            let repeats = RepeatedColumns()
            let columns = Self.textColumns.count
            for row in chunk.integers.indices {
                let ends = chunk.ends[(row * columns)..<((row + 1) * columns)]
                let start = row == 0 ? 0 : chunk.ends[row * columns - 1]
                let copied = CopiedRow(bytes: all, ends: ends, start: start, integer: chunk.integers[row], real: chunk.reals[row])
                rows.append(try SQLiteStateStore.record(copied, sharing: sharing, repeats: repeats))
            }
            return rows
        }
    }
}

/// Sensitive paths and dependencies already decoded, by their JSON text: the instances of one declaration write the
/// same ones, so their records share one array each instead of holding a copy per row. Used by one thread.
final class RepeatedColumns {
    private var paths: [String: [AttributePath]] = [:]
    private var addresses: [String: [ResourceAddress]] = [:]

    func paths(_ text: String) throws -> [AttributePath] {
        try remembered(text, in: &paths) { try StateJSON.decodePaths($0, column: "resources.sensitive_paths") }
    }

    func addresses(_ text: String) throws -> [ResourceAddress] {
        try remembered(text, in: &addresses) { try StateJSON.decodeAddresses($0, column: "resources.dependencies") }
    }

    private func remembered<T>(_ text: String, in known: inout [String: T], _ decode: (String) throws -> T) throws -> T {
        if let value = known[text] { return value }
        let value = try decode(text)
        known[text] = value
        return value
    }
}
