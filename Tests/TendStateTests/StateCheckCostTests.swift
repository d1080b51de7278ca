import Foundation
@testable import TendState
import TendStateTesting
import Testing

/// What the integrity check costs when a large state is opened: run with TEND_MEASURE_STATE_CHECK=1 (figures in
/// docs/state-integrity.md). Off by default: building the state takes a while and the figures depend on the machine.
@Suite struct StateCheckCostTests {
    static let isEnabled = ProcessInfo.processInfo.environment["TEND_MEASURE_STATE_CHECK"] != nil

    @Test(.enabled(if: isEnabled)) func measuresTheCheckOnALargeState() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.db")
        let resources = Int(ProcessInfo.processInfo.environment["TEND_MEASURE_STATE_CHECK"] ?? "") ?? 10_000
        try StateFileDamage.makeState(at: path, resources: resources, contentBytes: 512)
        let size = StateFileCheck.fileSize(path)

        let bare = try Self.median {
            // What opening cost before the check: open, classify, read the version.
            let database = try SQLiteDatabase(path: path, mode: .readWrite)
            _ = try database.withConnection { try SQLiteStateStore.classify(on: $0) }
            _ = try database.withConnection { try SQLiteStateStore.version(on: $0) }
        }
        let quick = try Self.median { _ = try StateFileCheck.inspect(path: path).verify(.quick, history: false) }
        let full = try Self.median { _ = try StateFileCheck.inspect(path: path).verify(.full, history: true) }
        let reading = try Self.median { _ = try SQLiteStateStore(path: path, createIfMissing: false).version() }
        let writing = try Self.median { try SQLiteStateStore(path: path, createIfMissing: false).unlock(id: "none") }
        let opened = SQLiteStateStore(path: path, createIfMissing: false)
        _ = try opened.version()
        let readAll = try Self.median { _ = try opened.resources() }
        print("""
            state check cost: \(resources) resources, \(size / 1024) KiB
              open without check: \(bare) ms
              inspect + quick_check: \(quick) ms
              inspect + integrity_check: \(full) ms
              store opened by a read (quick_check) + version(): \(reading) ms
              store opened by a write (integrity_check) + an empty write: \(writing) ms
              for scale, reading every resource (what plan and state list do) on an open store: \(readAll) ms
            """)
        #expect(quick > 0)
    }

    /// The median of seven runs of `body`, in milliseconds, after one warm-up run.
    static func median(_ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for run in 0..<8 {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
            if run > 0 { times.append(elapsed) }
        }
        return (times.sorted()[times.count / 2] * 10).rounded() / 10
    }
}
