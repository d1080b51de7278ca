import Foundation
import TendStateTesting
import Testing

/// Damaged and odd state files through the built binary: every command that needs the state refuses it with its own
/// clear error and exit 1, and nothing changes on disk (the managed files, the state file, the files beside it).
@Suite(.serialized) struct StateIntegrityEndToEndTests {
    static let manifest = """
    resources:
      a:
        type: local_file
        properties: { path: a.txt, content: "a\\n" }
      b:
        type: local_file
        properties: { path: b.txt, content: "b\\n" }
    """

    /// The configuration after the state was damaged: a changed, c new, so apply and drift would have work to do.
    static let changedManifest = """
    resources:
      a:
        type: local_file
        properties: { path: a.txt, content: "a changed\\n" }
      b:
        type: local_file
        properties: { path: b.txt, content: "b\\n" }
      c:
        type: local_file
        properties: { path: c.txt, content: "c\\n" }
    """

    static let commands: [(arguments: [String], isReadOnly: Bool)] = [
        (["plan"], true), (["apply", "--auto-approve"], false), (["drift"], false), (["state", "list"], true),
        (["audit"], true),
    ]

    @Test(arguments: StateFileDamage.allCases)
    func everyCommandRefusesTheDamagedStateAndChangesNothing(damage: StateFileDamage) throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let applied = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        try #require(applied.status == 0, "\(applied.stderr)")
        try dir.write("main.yaml", Self.changedManifest)
        try dir.write("b.txt", "b edited outside\n")   // drift that `tend drift` would record
        let statePath = dir.url.appendingPathComponent(".tend/state.db").path
        try damage.apply(to: statePath)
        let before = try StateFileSnapshot(path: statePath)

        for command in Self.commands {
            let result = try TendBinary.run(command.arguments, in: dir.url)
            let name = command.arguments.joined(separator: " ")
            if damage.allowsReading && command.isReadOnly {
                #expect(result.status == 0, "\(name) only reads: \(result.stderr)")
                continue
            }
            #expect(result.status == 1, "\(name): \(result.stdout) \(result.stderr)")
            #expect(result.stderr.contains(damage.expectedPhrase), "\(name): \(result.stderr)")
            #expect(result.stderr.contains("state.db"), "\(name) names the file: \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"), "\(name): \(result.stderr)")
        }

        #expect(try StateFileSnapshot(path: statePath) == before, "the state file is byte-identical, nothing beside it")
        #expect(try dir.read("a.txt") == "a\n", "a was not updated")
        #expect(try dir.read("b.txt") == "b edited outside\n", "b was not put back")
        #expect(!dir.exists("c.txt"), "c was not created")
    }

    /// Damage in the history, which a plan or a drift check never uses: they go on (the check at open leaves the
    /// history to its first use), while `history` and an apply, which adds to it, refuse the file before doing
    /// anything.
    @Test func aDamagedHistoryStopsWhatUsesItAndNothingElse() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let applied = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        try #require(applied.status == 0, "\(applied.stderr)")
        try dir.write("main.yaml", Self.changedManifest)
        let statePath = dir.url.appendingPathComponent(".tend/state.db").path
        try StateFileDamage.overwritePage(try StateFileDamage.indexRootPage(of: statePath, index: "history_by_address"),
                                          of: statePath)

        for other in [["plan"], ["state", "list"], ["audit"], ["drift"]] {
            let result = try TendBinary.run(other, in: dir.url)
            #expect(result.status == 0, "\(other) does not use the history: \(result.stderr)")
        }
        let before = try StateFileSnapshot(path: statePath)
        for refused in [["history"], ["apply", "--auto-approve"]] {
            let result = try TendBinary.run(refused, in: dir.url)
            #expect(result.status == 1, "\(refused): \(result.stdout) \(result.stderr)")
            #expect(result.stderr.contains("is damaged"), "\(refused): \(result.stderr)")
            #expect(result.stderr.contains("state.db"), "\(refused) names the file: \(result.stderr)")
        }
        #expect(try StateFileSnapshot(path: statePath) == before, "the state file is byte-identical, nothing beside it")
        #expect(try dir.read("a.txt") == "a\n", "a was not updated")
        #expect(!dir.exists("c.txt"), "c was not created")
    }

    @Test func aMissingStateIsStillANewOne() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try TendBinary.run(["state", "list"], in: dir.url).status == 0)
        #expect(!dir.exists(".tend/state.db"), "reading a missing state creates nothing")
        let applied = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try TendBinary.run(["state", "list"], in: dir.url).stdout.split(separator: "\n").count == 2)
        let listing = try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent(".tend").path)
        #expect(!listing.contains { $0.contains("tend-new") }, "no temporary state is left: \(listing)")
    }
}
