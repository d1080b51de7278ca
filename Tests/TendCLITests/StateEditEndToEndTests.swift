import Foundation
import Testing

/// `tend state mv` and `state rm` through the built binary: one step each, audited, refused cleanly.
@Suite(.serialized) struct StateEditEndToEndTests {
    static let manifest = """
    resources:
      a:
        type: local_file
        properties: { path: a.txt, content: "a\\n" }
      b:
        type: local_file
        properties: { path: b.txt, content: "b\\n" }
    """

    static func serial(in directory: URL) throws -> String? {
        let info = try TendBinary.run(["state", "info"], in: directory)
        return info.stdout.split(separator: "\n").first { $0.hasPrefix("serial: ") }.map { String($0.dropFirst(8)) }
    }

    @Test func movesAndForgetsResourcesAndRefusesConflicts() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        #expect(try Self.serial(in: dir.url) == "1")

        let conflict = try TendBinary.run(["state", "mv", "a", "b"], in: dir.url)
        #expect(conflict.status == 1)
        #expect(conflict.stderr.contains("b already exists in state"), "\(conflict.stderr)")
        #expect(try Self.serial(in: dir.url) == "1", "a refused move writes nothing")

        let move = try TendBinary.run(["state", "mv", "a", "c"], in: dir.url)
        #expect(move.status == 0, "\(move.stderr)")
        let list = try TendBinary.run(["state", "list"], in: dir.url).stdout
        #expect(list.split(separator: "\n").map { $0.split(separator: "\t").first.map(String.init) ?? "" } == ["b", "c"])
        #expect(try Self.serial(in: dir.url) == "2")

        let missing = try TendBinary.run(["state", "rm", "a"], in: dir.url)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no resource a in state"), "\(missing.stderr)")
        #expect(try TendBinary.run(["state", "rm", "c"], in: dir.url).status == 0)
        #expect(try Self.serial(in: dir.url) == "3")
        #expect(dir.exists("a.txt"), "state rm leaves the object alone")

        let audit = try TendBinary.run(["audit"], in: dir.url)
        #expect(audit.status == 0)
        #expect(audit.stdout.contains("state mv  a -> c  ok"), "\(audit.stdout)")
        #expect(audit.stdout.contains("state rm  c  ok"), "\(audit.stdout)")
        #expect(try TendBinary.run(["state", "list"], in: dir.url).stdout.hasPrefix("b\t"))
    }
}
