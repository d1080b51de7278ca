import Foundation
import LocalProvider
import ProviderKit
import TendModel
import Testing

@Suite struct LocalFileTests {
    let provider = LocalProvider()

    private func createFile(_ dir: String, _ attributes: [String: Value]) async throws -> CreatedObject {
        let planned = try await provider.plan(type: "local_file", desired: attributes, context: context(dir))
        return try await provider.create(type: "local_file", address: ResourceAddress(name: "f"), desired: planned, context: context(dir))
    }

    @Test func resolvesRelativePathsAgainstBaseDirectoryAndKeepsThePathAsDeclared() async throws {
        try await withTemporaryDirectory { dir in
            let created = try await createFile(dir, ["path": .string("./sub/../out/a.txt"), "content": .string("x")])
            #expect(created.id == dir + "/out/a.txt")
            #expect(created.attributes["path"] == .string("./sub/../out/a.txt"))
            #expect(try read(dir + "/out/a.txt") == "x")
            #expect(try mode(of: dir + "/out/a.txt") == "0644")
        }
    }

    @Test func atomicWriteLeavesNoTemporaryFiles() async throws {
        try await withTemporaryDirectory { dir in
            let created = try await createFile(dir, ["path": .string("a.txt"), "content": .string("one")])
            _ = try await provider.update(type: "local_file", id: created.id, current: created.attributes,
                                          desired: ["path": .string("a.txt"), "content": .string("two")], context: context(dir))
            _ = try await createFile(dir, ["path": .string("a.txt"), "content": .string("two")])
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.txt"])
            #expect(try read(dir + "/a.txt") == "two")
        }
    }

    @Test func planNormalisesModeAndFillsDigestAndSize() async throws {
        try await withTemporaryDirectory { dir in
            let planned = try await provider.plan(type: "local_file", desired: ["path": .string("a"), "content": .string("abc"), "mode": .string("600")],
                                                  context: context(dir))
            #expect(planned["mode"] == .string("0600"))
            #expect(planned["sha256"] == .string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
            #expect(planned["size"] == .number(3))

            try write("", to: dir + "/empty")
            let fromSource = try await provider.plan(type: "local_file", desired: ["path": .string("b"), "source": .string("empty")], context: context(dir))
            #expect(fromSource["mode"] == .string("0644"))
            #expect(fromSource["sha256"] == .string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
            #expect(fromSource["size"] == .number(0))

            let later = try await provider.plan(type: "local_file", desired: ["path": .string("c"), "content": .unknown], context: context(dir))
            #expect(later["sha256"] == nil)
            #expect(later["size"] == nil)
        }
    }

    @Test(arguments: [
        (["path": Value.string("a"), "content": .string("x"), "mode": .string("9z")], "9z"),
        (["path": Value.string("a"), "content": .string("x"), "source": .string("b")], "exactly one"),
        (["path": Value.string("a")], "exactly one"),
        (["path": Value.string("a"), "source": .string("missing.txt")], "missing.txt"),
        (["content": Value.string("x")], "path is required"),
    ])
    func rejectsInvalidInputTerminally(desired: [String: Value], mentioning text: String) async throws {
        try await withTemporaryDirectory { dir in
            let error = try await #require(throws: ProviderError.self) {
                try await provider.plan(type: "local_file", desired: desired, context: context(dir))
            }
            #expect(error.code == .invalidInput)
            #expect(!error.isTransient)
            #expect(error.message.contains(text))
        }
    }

    @Test func reportsContentEditedOnDisk() async throws {
        try await withTemporaryDirectory { dir in
            let created = try await createFile(dir, ["path": .string("a.txt"), "content": .string("hello")])
            try write("tampered\n", to: created.id)
            let observed = try await provider.observe(type: "local_file", id: created.id, prior: created.attributes, context: context(dir))
            #expect(observed?["content"] == .string("tampered\n"))
            #expect(observed?["size"] == .number(9))
            #expect(observed?["sha256"] == .string(SHA256Digest(hashing: "tampered\n").hex))
            #expect(observed?["path"] == .string("a.txt"))
        }
    }

    @Test func unchangedBytesKeepTheRecordedDigestAndAMalformedOneIsRecomputed() async throws {
        try await withTemporaryDirectory { dir in
            let created = try await createFile(dir, ["path": .string("a.txt"), "content": .string("hello")])
            let digest = SHA256Digest(hashing: "hello").hex
            #expect(created.attributes["sha256"] == .string(digest))
            let observed = try await provider.observe(type: "local_file", id: created.id, prior: created.attributes, context: context(dir))
            #expect(observed?["sha256"] == .string(digest))
            var damaged = created.attributes
            damaged["sha256"] = .string("not a digest")
            let recomputed = try await provider.observe(type: "local_file", id: created.id, prior: damaged, context: context(dir))
            #expect(recomputed?["sha256"] == .string(digest))
        }
    }

    /// An unchanged file reads back as exactly its recorded attributes; any difference, a changed mode or a recorded
    /// attribute the file no longer reports, gives what the file is now.
    @Test func anUnchangedFileReadsBackAsItsRecordAndEveryDifferenceShows() async throws {
        try await withTemporaryDirectory { dir in
            let created = try await createFile(dir, ["path": .string("a.txt"), "content": .string("hello\n"), "mode": .string("0644")])
            let same = try await provider.observe(type: "local_file", id: created.id, prior: created.attributes, context: context(dir))
            #expect(same == created.attributes)
            var stale = created.attributes
            stale["leftover"] = .string("from an older tend")
            let withoutStale = try await provider.observe(type: "local_file", id: created.id, prior: stale, context: context(dir))
            #expect(withoutStale == created.attributes)
            #expect(chmod(created.id, 0o600) == 0)
            let changed = try await provider.observe(type: "local_file", id: created.id, prior: created.attributes, context: context(dir))
            #expect(changed?["mode"] == .string("0600"))
            #expect(changed?["content"] == .string("hello\n"))
            #expect(changed?.count == created.attributes.count)
        }
    }

    /// A bulk read answers in the order asked, over more objects than one chunk holds: the unchanged as their
    /// records, the changed as read, the missing as nil; the read by id agrees with it.
    @Test func aBulkReadAnswersInTheOrderAsked() async throws {
        try await withTemporaryDirectory { dir in
            var objects: [BulkObject] = []
            for index in 0..<300 {
                let created = try await createFile(dir, ["path": .string("f\(index).txt"), "content": .string("file \(index)\n")])
                objects.append(BulkObject(id: created.id, prior: created.attributes))
            }
            try write("changed\n", to: objects[7].id)
            #expect(unlink(objects[200].id) == 0)
            objects.append(BulkObject(id: dir + "/never-made.txt", prior: objects[0].prior))
            let read = try #require(try await provider.observe(type: "local_file", objects: objects, context: context(dir)))
            #expect(read.count == objects.count)
            for (index, object) in objects.enumerated() {
                switch index {
                case 7: #expect(read[index]?["content"] == .string("changed\n"))
                case 200, 300: #expect(read[index] == nil, "\(object.id) is gone")
                default: #expect(read[index] == object.prior, "\(object.id)")
                }
            }
            let byID = try #require(try await provider.observe(type: "local_file", priors: Dictionary(objects.map { ($0.id, $0.prior) },
                                                                                                       uniquingKeysWith: { a, _ in a }),
                                                               context: context(dir)))
            #expect(byID.count == objects.count - 2)
            #expect(byID[objects[7].id] == read[7])
            #expect(byID[objects[5].id] == objects[5].prior)
        }
    }

    /// A plan of what is recorded is the record; any difference (a stale recorded key, another mode, other
    /// content) plans what a plan without the record would, with the recorded digest only for the same content.
    @Test func aPlanOfWhatIsRecordedIsTheRecordAndEveryDifferenceIsPlanned() async throws {
        try await withTemporaryDirectory { dir in
            let declared: [String: Value] = ["path": .string("a.txt"), "content": .string("hello\n")]
            let created = try await createFile(dir, declared)
            let fresh = try await provider.plan(type: "local_file", desired: declared, context: context(dir))
            #expect(try await provider.plan(type: "local_file", desired: declared, prior: created.attributes, context: context(dir))
                == created.attributes)
            var unnormalized = declared
            unnormalized["mode"] = .string("644")
            #expect(try await provider.plan(type: "local_file", desired: unnormalized, prior: created.attributes, context: context(dir))
                == created.attributes)
            var stale = created.attributes
            stale["leftover"] = .string("from an older tend")
            #expect(try await provider.plan(type: "local_file", desired: declared, prior: stale, context: context(dir)) == fresh)
            var otherMode = declared
            otherMode["mode"] = .string("0600")
            let moded = try await provider.plan(type: "local_file", desired: otherMode, prior: created.attributes, context: context(dir))
            #expect(moded["mode"] == .string("0600"))
            #expect(moded["sha256"] == created.attributes["sha256"])
            var otherContent = declared
            otherContent["content"] = .string("bye\n")
            let changed = try await provider.plan(type: "local_file", desired: otherContent, prior: created.attributes, context: context(dir))
            #expect(changed["sha256"] == .string(SHA256Digest(hashing: "bye\n").hex))
            #expect(changed["size"] == .number(4))
        }
    }

    /// Planning with the recorded attributes reuses their digest only for byte-identical text with a well-formed digest.
    @Test func planReusesTheRecordedDigestOnlyForTheSameBytes() async throws {
        try await withTemporaryDirectory { dir in
            let declared: [String: Value] = ["path": .string("a.txt"), "content": .string("caf\u{E9}")]
            let created = try await createFile(dir, declared)
            let fresh = try await provider.plan(type: "local_file", desired: declared, context: context(dir))
            let reused = try await provider.plan(type: "local_file", desired: declared, prior: created.attributes, context: context(dir))
            #expect(reused == fresh)
            // A made-up recorded digest shows the reuse really happens for the same bytes...
            var recorded = created.attributes
            let other = SHA256Digest(hashing: "something else").hex
            recorded["sha256"] = .string(other)
            let trusted = try await provider.plan(type: "local_file", desired: declared, prior: recorded, context: context(dir))
            #expect(trusted["sha256"] == .string(other))
            // ...and not for text that is only canonically equal (e + combining accent), nor for a malformed digest.
            recorded["content"] = .string("cafe\u{301}")
            let decomposed = try await provider.plan(type: "local_file", desired: declared, prior: recorded, context: context(dir))
            #expect(decomposed == fresh)
            recorded["content"] = created.attributes["content"]
            recorded["sha256"] = .string("not a digest")
            let malformed = try await provider.plan(type: "local_file", desired: declared, prior: recorded, context: context(dir))
            #expect(malformed == fresh)
            // Invalid input is refused with a prior as without one.
            var both = declared
            both["source"] = .string("a.txt")
            await #expect(throws: ProviderError.self) {
                try await provider.plan(type: "local_file", desired: both, prior: created.attributes, context: context(dir))
            }
        }
    }

    /// The bulk read finds what one-by-one reads find: present, edited, absent; and gives up (nil) when a read fails.
    @Test func bulkObserveMatchesSingleReads() async throws {
        try await withTemporaryDirectory { dir in
            var priors: [String: [String: Value]] = [:]
            for i in 0..<300 {
                let created = try await createFile(dir, ["path": .string("f\(i).txt"), "content": .string("file \(i)\n")])
                priors[created.id] = created.attributes
            }
            try write("edited", to: dir + "/f7.txt")
            try FileManager.default.removeItem(atPath: dir + "/f8.txt")
            let bulk = try await provider.observe(type: "local_file", priors: priors, context: context(dir))
            var single: [String: [String: Value]] = [:]
            for (id, prior) in priors {
                single[id] = try await provider.observe(type: "local_file", id: id, prior: prior, context: context(dir))
            }
            #expect(bulk == single)
            #expect(bulk?.count == 299)
            #expect(bulk?[dir + "/f7.txt"]?["content"] == .string("edited"))
            // A symlink loop in the path cannot be read: the bulk read declines, the single read names the error.
            try FileManager.default.createSymbolicLink(atPath: dir + "/loop", withDestinationPath: dir + "/loop")
            priors[dir + "/loop/x.txt"] = priors[dir + "/f1.txt"]
            let failed = try await provider.observe(type: "local_file", priors: priors, context: context(dir))
            #expect(failed == nil)
            await #expect(throws: ProviderError.self) {
                try await provider.observe(type: "local_file", id: dir + "/loop/x.txt", prior: [:], context: context(dir))
            }
        }
    }

    @Test func reportsModeChangedOnDisk() async throws {
        try await withTemporaryDirectory { dir in
            let created = try await createFile(dir, ["path": .string("a.txt"), "content": .string("hello"), "mode": .string("0640")])
            #expect(created.attributes["mode"] == .string("0640"))
            try FileManager.default.setAttributes([.posixPermissions: 0o4711], ofItemAtPath: created.id)
            let observed = try await provider.observe(type: "local_file", id: created.id, prior: created.attributes, context: context(dir))
            #expect(observed?["mode"] == .string("4711"))
            #expect(observed?["content"] == .string("hello"))
        }
    }

    @Test func reportsDeletionAndDirectoriesAsAbsent() async throws {
        try await withTemporaryDirectory { dir in
            let created = try await createFile(dir, ["path": .string("a.txt"), "content": .string("hello")])
            try FileManager.default.removeItem(atPath: created.id)
            #expect(try await provider.observe(type: "local_file", id: created.id, prior: created.attributes, context: context(dir)) == nil)
            try FileManager.default.createDirectory(atPath: created.id, withIntermediateDirectories: false)
            #expect(try await provider.observe(type: "local_file", id: created.id, prior: created.attributes, context: context(dir)) == nil)
            try await provider.delete(type: "local_file", id: created.id, current: created.attributes, context: context(dir))
            #expect(FileManager.default.fileExists(atPath: created.id))
        }
    }

    @Test func reportsOnlyTheDeclaredKindOfContent() async throws {
        try await withTemporaryDirectory { dir in
            try write("from source", to: dir + "/src")
            let secret = try await createFile(dir, ["path": .string("s"), "sensitive_content": .string("pw")])
            #expect(secret.attributes["sensitive_content"] == .string("pw"))
            #expect(secret.attributes["content"] == nil)
            let copy = try await createFile(dir, ["path": .string("c"), "source": .string("src")])
            #expect(copy.attributes["source"] == .string("src"))
            #expect(copy.attributes["content"] == nil)
            #expect(copy.attributes["sha256"] == .string(SHA256Digest(hashing: "from source").hex))
            #expect(try read(dir + "/c") == "from source")
        }
    }

    @Test func keepsBinaryContentDigestExact() async throws {
        try await withTemporaryDirectory { dir in
            let created = try await createFile(dir, ["path": .string("bin"), "content": .string("x")])
            let bytes: [UInt8] = [0xff, 0x00, 0xfe]
            try Data(bytes).write(to: URL(fileURLWithPath: created.id))
            let observed = try await provider.observe(type: "local_file", id: created.id, prior: created.attributes, context: context(dir))
            #expect(observed?["sha256"] == .string(SHA256Digest(hashing: bytes).hex))
            #expect(observed?["size"] == .number(3))
        }
    }

    @Test func appliesAndObservesDeclaredOwnerAndGroup() async throws {
        try await withTemporaryDirectory { dir in
            let me = try #require(try FileManager.default.attributesOfItem(atPath: dir)[.ownerAccountName] as? String)
            let group = try #require(try FileManager.default.attributesOfItem(atPath: dir)[.groupOwnerAccountName] as? String)
            let created = try await createFile(dir, ["path": .string("o"), "content": .string("x"), "owner": .string(me), "group": .string(group)])
            #expect(created.attributes["owner"] == .string(me))
            #expect(created.attributes["group"] == .string(group))
            let undeclared = try await provider.observe(type: "local_file", id: created.id, prior: ["path": .string("o"), "content": .string("x")],
                                                        context: context(dir))
            #expect(undeclared?["owner"] == nil)
            let error = try await #require(throws: ProviderError.self) {
                try await provider.plan(type: "local_file", desired: ["path": .string("o"), "content": .string("x"), "owner": .string("no-such-user-tend")],
                                        context: context(dir))
            }
            #expect(error.code == .invalidInput)
        }
    }

    @Test func recoversAFileACrashedCreateLeftBehind() async throws {
        try await withTemporaryDirectory { dir in
            let desired: [String: Value] = ["path": .string("r.txt"), "content": .string("r")]
            #expect(try await provider.recover(type: "local_file", address: ResourceAddress(name: "r"), desired: desired, context: context(dir)) == nil)
            try write("r", to: dir + "/r.txt")
            let recovered = try await provider.recover(type: "local_file", address: ResourceAddress(name: "r"), desired: desired, context: context(dir))
            #expect(recovered?.id == dir + "/r.txt")
            #expect(recovered?.attributes["content"] == .string("r"))
            #expect(try await provider.recover(type: "local_directory", address: ResourceAddress(name: "r"), desired: desired, context: context(dir)) == nil)
            #expect(try await provider.list(type: "local_file", context: context(dir)) == nil)
        }
    }

    @Test func rejectsUnknownTypes() async throws {
        let error = try await #require(throws: ProviderError.self) {
            try await provider.plan(type: "local_pipe", desired: [:], context: context("/"))
        }
        #expect(error.code == .unknownType)
    }
}
