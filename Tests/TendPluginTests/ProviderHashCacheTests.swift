import Foundation
import Synchronization
import Testing
@testable import TendPlugin

@Suite struct ProviderHashCacheTests {
    /// A hasher that counts its calls and otherwise hashes for real.
    private final class CountingHasher: Sendable {
        let calls = Mutex(0)

        func hash(_ path: String) throws -> String {
            calls.withLock { $0 += 1 }
            return try SHA256FileHasher.hexDigest(ofFileAt: path)
        }
    }

    @Test func hashesWithLibcryptoInChunks() throws {
        let sandbox = try InstallationSandbox()
        let empty = try sandbox.write("", to: "empty")
        #expect(try SHA256FileHasher.hexDigest(ofFileAt: empty)
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let abc = try sandbox.write("abc", to: "abc")
        #expect(try SHA256FileHasher.hexDigest(ofFileAt: abc)
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let big = sandbox.file("big")
        try Data(repeating: 0x61, count: SHA256FileHasher.chunkSize * 2 + 3).write(to: URL(fileURLWithPath: big))
        #expect(try SHA256FileHasher.hexDigest(ofFileAt: big).count == 64)
        #expect(throws: ProviderInstallationError.self) { try SHA256FileHasher.hexDigest(ofFileAt: sandbox.file("none")) }
    }

    @Test func reusesTheDigestWhileTheFileIsUnchangedAcrossRuns() throws {
        let sandbox = try InstallationSandbox()
        let binary = try sandbox.write("provider v1\n", to: "terraform-provider-aws", mode: 0o755)
        let cachePath = sandbox.file(".tend/provider-hashes.json")
        let hasher = CountingHasher()
        var cache = ProviderHashCache(path: cachePath, hasher: hasher.hash)
        let first = try cache.hexDigest(ofFileAt: binary)
        #expect(try cache.hexDigest(ofFileAt: binary) == first)
        try cache.save()
        var nextRun = ProviderHashCache(path: cachePath, hasher: hasher.hash)
        #expect(try nextRun.hexDigest(ofFileAt: binary) == first)
        #expect(hasher.calls.withLock { $0 } == 1)
    }

    @Test func rehashesAfterTheFileChanges() throws {
        let sandbox = try InstallationSandbox()
        let binary = try sandbox.write("provider v1\n", to: "terraform-provider-aws", mode: 0o755)
        let cachePath = sandbox.file("hashes.json")
        let hasher = CountingHasher()
        var cache = ProviderHashCache(path: cachePath, hasher: hasher.hash)
        let first = try cache.hexDigest(ofFileAt: binary)
        try cache.save()
        try sandbox.write("provider v2\n", to: "terraform-provider-aws", mode: 0o755)
        var nextRun = ProviderHashCache(path: cachePath, hasher: hasher.hash)
        let second = try nextRun.hexDigest(ofFileAt: binary)
        #expect(second != first)
        #expect(second == (try SHA256FileHasher.hexDigest(ofFileAt: binary)))
        #expect(hasher.calls.withLock { $0 } == 2)
    }

    @Test func aDamagedCacheFileIsAnEmptyCache() throws {
        let sandbox = try InstallationSandbox()
        let binary = try sandbox.write("x", to: "bin")
        let cachePath = try sandbox.write("{not json", to: "hashes.json")
        var cache = ProviderHashCache(path: cachePath)
        #expect(try cache.hexDigest(ofFileAt: binary) == (try SHA256FileHasher.hexDigest(ofFileAt: binary)))
        try cache.save()
        let saved = try #require(try InstallationFileSystem.readFile(at: cachePath))
        #expect(String(decoding: saved, as: UTF8.self).contains("\"format_version\":1"))
    }
}
