import Foundation
import LocalProvider
import ProviderKit
import TendModel
import Testing

/// Temporary files (`.NAME.tend-PID-HEX`) left by a writer that was killed: removed when the provider next writes
/// into or deletes from their directory; those of live writers and everything else in the directory stay.
@Suite struct TemporaryFileCleanupTests {
    let provider = LocalProvider()

    /// The pid of a process that has exited, as after a crash.
    static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    /// A process that lives until stopped: a concurrent writer.
    static func liveProcess() throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["600"]
        try process.run()
        return process
    }

    func makeDirectory(_ dir: String) async throws -> CreatedObject {
        try await provider.create(type: "local_directory", address: ResourceAddress(name: "d"),
                                  desired: ["path": .string("d")], context: context(dir))
    }

    @Test func deletingADirectoryRemovesTemporaryFilesOfDeadWriters() async throws {
        try await withTemporaryDirectory { dir in
            let directory = try await makeDirectory(dir)
            let dead = try Self.deadPID()
            try write("half", to: directory.id + "/.a.conf.tend-\(dead)-1f2e3d")
            try write("half", to: directory.id + "/.b.conf.tend-\(dead)-0")
            try await provider.delete(type: "local_directory", id: directory.id, current: directory.attributes, context: context(dir))
            #expect(!FileManager.default.fileExists(atPath: directory.id))
        }
    }

    @Test func oldStyleTemporaryFilesAreRemovedOnlyWhenOld() async throws {
        try await withTemporaryDirectory { dir in
            let directory = try await makeDirectory(dir)
            let old = directory.id + "/.a.conf.tend-9c0ffee"
            try write("half", to: old)
            let error = try await #require(throws: ProviderError.self) {
                try await provider.delete(type: "local_directory", id: directory.id, current: directory.attributes, context: context(dir))
            }
            #expect(error.code == .conflict)
            #expect(FileManager.default.fileExists(atPath: old), "a fresh old-style file may be a write in flight")

            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: old)
            try await provider.delete(type: "local_directory", id: directory.id, current: directory.attributes, context: context(dir))
            #expect(!FileManager.default.fileExists(atPath: directory.id))
        }
    }

    @Test func keepsTemporaryFilesOfLiveWritersAndFilesThatOnlyLookAlike() async throws {
        let writer = try Self.liveProcess()
        // SIGKILL: a test runner may start its children with SIGTERM blocked.
        defer { kill(writer.processIdentifier, SIGKILL); writer.waitUntilExit() }
        try await withTemporaryDirectory { dir in
            let directory = try await makeDirectory(dir)
            let dead = try Self.deadPID()
            let kept = [
                ".a.conf.tend-\(writer.processIdentifier)-abc",    // a live writer's write in flight
                ".b.conf.tend-\(getpid())-abc",                      // this process's own
                ".c.conf.tend-\(dead)-xyz",                           // not hex
                "c.conf.tend-\(dead)-abc",                            // no leading dot
                "..tend-\(dead)-abc",                                 // no target name
                ".d.conf.tend-\(dead)-abc-def",                       // extra part
                ".e.conf.tend-\(dead)-ABC",                           // upper case
                ".f.conf.tmp-\(dead)-abc",                            // another tool's
            ]
            for name in kept { try write("user data", to: directory.id + "/" + name) }
            let error = try await #require(throws: ProviderError.self) {
                try await provider.delete(type: "local_directory", id: directory.id, current: directory.attributes, context: context(dir))
            }
            #expect(error.code == .conflict)
            let left = try FileManager.default.contentsOfDirectory(atPath: directory.id).sorted()
            #expect(left == kept.sorted())
        }
    }

    @Test func writingIntoADirectoryRemovesItsStaleTemporaryFiles() async throws {
        try await withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
            let dead = try Self.deadPID()
            let stale = dir + "/out/.a.conf.tend-\(dead)-beef"
            try write("half", to: stale)
            let created = try await provider.create(type: "local_file", address: ResourceAddress(name: "f"),
                                                    desired: ["path": .string("out/a.conf"), "content": .string("whole\n")],
                                                    context: context(dir))
            #expect(try read(created.id) == "whole\n")
            #expect(!FileManager.default.fileExists(atPath: stale))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out") == ["a.conf"])
        }
    }

    @Test func deletingASymlinkRemovesStaleTemporaryFilesBesideIt() async throws {
        try await withTemporaryDirectory { dir in
            let created = try await provider.create(type: "local_symlink", address: ResourceAddress(name: "l"),
                                                    desired: ["path": .string("link"), "target": .string("elsewhere")],
                                                    context: context(dir))
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: created.id) == "elsewhere")
            let dead = try Self.deadPID()
            try write("half", to: dir + "/.link.tend-\(dead)-1")
            // A later run's provider (each run sweeps a directory once).
            try await LocalProvider().delete(type: "local_symlink", id: created.id, current: created.attributes, context: context(dir))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        }
    }
}
