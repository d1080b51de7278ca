@testable import LocalProvider
import Foundation
import Testing

@Suite struct FileSystemReadTests {
    /// A file read with the size `lstat` gave is read whole, whether it still has that size, grew or shrank since:
    /// one read that fills exactly the expected size ends it, any other keeps reading to the end.
    @Test(arguments: [0, 1, 4095, 4096, 4097, 70_000])
    func readsTheWholeFileWhateverTheExpectedSize(size: Int) async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/f.bin"
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            for expected in [size, max(0, size - 1), size + 1, 0, nil] as [Int?] {
                let read = try FileSystem.readFile(at: path, expectedSize: expected)
                #expect(read == bytes, "expected size \(String(describing: expected))")
            }
        }
    }

    @Test func aMissingFileReadsAsNothing() async throws {
        try await withTemporaryDirectory { directory in
            let read = try FileSystem.readFile(at: directory + "/none", expectedSize: 10)
            #expect(read == nil)
        }
    }
}
