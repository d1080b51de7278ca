import Foundation
import TendModel
import TendState
import TendStateTesting
import Testing

/// The behaviour suite (`StateStoreBehaviour`, in TendStateTesting) against each store, one test case per check.
@Suite struct StateStoreBehaviourTests {
    @Test(arguments: StoreKind.allCases, StateStoreBehaviour.checkNames)
    func passesTheBehaviourCheck(kind: StoreKind, check: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await StateStoreBehaviour.run(check, on: kind.makeFactory(in: directory))
    }

    @Test func checkNamesAreUnique() {
        let names = StateStoreBehaviour.checkNames
        #expect(Set(names).count == names.count, "every check runs under a name of its own")
        #expect(names.count == 34, "no check was lost: 25 moved from the test target, 3 of the serial's compare-and-swap, 6 of leases")
    }

    /// A store that does not behave fails the test that runs the check: here one whose state exists already, where
    /// the check expects none; and a check name the catalogue does not hold.
    @Test func aCheckThatDoesNotHoldFailsItsTest() async throws {
        let store = InMemoryStateStore()
        _ = try store.initialize()
        await withKnownIssue("the state exists before the check begins") {
            try await StateStoreBehaviour.run("versionStartsNilThenInitializesOnceAndIncrements", on: StoreFactory { store })
        }
        await withKnownIssue("no check has this name") {
            try await StateStoreBehaviour.run("noSuchCheck", on: StoreFactory { InMemoryStateStore() })
        }
    }

    @Test func aLivePIDStartedAtAnotherTimeIsAReusedPID() throws {
        // This process is alive, but a lock recorded with another start time was taken by an earlier process.
        let boot = try #require(LocalProcess.bootID)
        let mine = try #require(LocalProcess.currentIdentity)
        #expect(!StateSample.lock(pid: getpid()).isStale)
        #expect(!LockInfo(id: "l", holder: "h", operation: "apply", pid: getpid(), host: LocalHost.name, since: StateSample.date,
                          process: mine).isStale)
        #expect(LockInfo(id: "l", holder: "h", operation: "apply", pid: getpid(), host: LocalHost.name, since: StateSample.date,
                         process: "\(boot)/1").isStale)
        #expect(LockInfo(id: "l", holder: "h", operation: "apply", pid: getpid(), host: LocalHost.name, since: StateSample.date,
                         process: "another-boot/1").isStale)
        #expect(!LockInfo(id: "l", holder: "h", operation: "apply", pid: getpid(), host: "elsewhere.invalid", since: StateSample.date,
                          process: "another-boot/1").isStale)
    }
}
