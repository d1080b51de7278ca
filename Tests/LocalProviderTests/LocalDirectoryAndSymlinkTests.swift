import Foundation
import LocalProvider
import ProviderKit
import TendModel
import Testing

@Suite struct LocalDirectoryAndSymlinkTests {
    let provider = LocalProvider()

    @Test func createsDirectoryWithParentsAndMode() async throws {
        try await withTemporaryDirectory { dir in
            let planned = try await provider.plan(type: "local_directory", desired: ["path": .string("a/b")], context: context(dir))
            #expect(planned["mode"] == .string("0755"))
            let created = try await provider.create(type: "local_directory", address: ResourceAddress(name: "d"),
                                                    desired: ["path": .string("a/b"), "mode": .string("711")], context: context(dir))
            #expect(created.id == dir + "/a/b")
            #expect(created.attributes == ["path": .string("a/b"), "mode": .string("0711")])
            #expect(try mode(of: created.id) == "0711")
        }
    }

    @Test func directoryDeleteRefusesWhenNotEmpty() async throws {
        try await withTemporaryDirectory { dir in
            let created = try await provider.create(type: "local_directory", address: ResourceAddress(name: "d"),
                                                    desired: ["path": .string("d")], context: context(dir))
            try write("x", to: created.id + "/one")
            try write("y", to: created.id + "/two")
            let error = try await #require(throws: ProviderError.self) {
                try await provider.delete(type: "local_directory", id: created.id, current: created.attributes, context: context(dir))
            }
            #expect(error.code == .conflict)
            #expect(!error.isTransient)
            #expect(error.message.contains("2 entries"))
            #expect(FileManager.default.fileExists(atPath: created.id + "/one"))
        }
    }

    @Test func reportsDirectoryModeDriftAndDeletion() async throws {
        try await withTemporaryDirectory { dir in
            let created = try await provider.create(type: "local_directory", address: ResourceAddress(name: "d"),
                                                    desired: ["path": .string("d"), "mode": .string("0750")], context: context(dir))
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: created.id)
            let observed = try await provider.observe(type: "local_directory", id: created.id, prior: created.attributes, context: context(dir))
            #expect(observed?["mode"] == .string("0700"))
            try FileManager.default.removeItem(atPath: created.id)
            #expect(try await provider.observe(type: "local_directory", id: created.id, prior: created.attributes, context: context(dir)) == nil)
        }
    }

    @Test func reportsRetargetedSymlinkAndReplacesItInPlace() async throws {
        try await withTemporaryDirectory { dir in
            let desired: [String: Value] = ["path": .string("current"), "target": .string("v1")]
            let created = try await provider.create(type: "local_symlink", address: ResourceAddress(name: "l"), desired: desired, context: context(dir))
            _ = try await provider.create(type: "local_symlink", address: ResourceAddress(name: "l"), desired: desired, context: context(dir))
            try FileManager.default.removeItem(atPath: created.id)
            try FileManager.default.createSymbolicLink(atPath: created.id, withDestinationPath: "elsewhere")
            let observed = try await provider.observe(type: "local_symlink", id: created.id, prior: created.attributes, context: context(dir))
            #expect(observed == ["path": .string("current"), "target": .string("elsewhere")])

            let updated = try await provider.update(type: "local_symlink", id: created.id, current: observed ?? [:],
                                                    desired: ["path": .string("current"), "target": .string("v2")], context: context(dir))
            #expect(updated["target"] == .string("v2"))
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: created.id) == "v2")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["current"])
        }
    }

    @Test func symlinkObserveIgnoresOtherKindsAndCreateRefusesThem() async throws {
        try await withTemporaryDirectory { dir in
            try write("file", to: dir + "/plain")
            #expect(try await provider.observe(type: "local_symlink", id: dir + "/plain", prior: [:], context: context(dir)) == nil)
            let error = try await #require(throws: ProviderError.self) {
                try await provider.create(type: "local_symlink", address: ResourceAddress(name: "l"),
                                          desired: ["path": .string("plain"), "target": .string("x")], context: context(dir))
            }
            #expect(error.code == .conflict)
            try await provider.delete(type: "local_symlink", id: dir + "/plain", current: [:], context: context(dir))
            #expect(try read(dir + "/plain") == "file")
        }
    }
}
