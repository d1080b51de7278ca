import Foundation
import Testing

/// The reliability suite's shortened run (`Torture/torture.py --quick`, the same code `make torture` runs in
/// full): kills with every signal on a local and an AWS workload (moto_server on 127.0.0.1), each fault kind
/// through a fault-injecting proxy, damaged state files, and the canary scan. It exits 1 when any promise broke.
@Suite(.serialized) struct TortureQuickTests {
    @Test func everyPromiseHoldsUnderAShortTortureRun() async throws {
        let script = TendBinary.packageRoot.appendingPathComponent("Torture/torture.py").path
        let arguments = [script, "--quick", "--tend", TendBinary.path,
                         "--only", "kills", "--only", "faults", "--only", "integrity", "--only", "canary"]
        // A minute or two of waiting for a child process: on a thread of its own, not one of the few threads every
        // other test's tasks run on.
        let result = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try TendBinary.python(arguments) }) }.start()
        }
        print(result.stdout)
        #expect(result.status == 0, "\(result.stdout.suffix(4000))\n\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("every promise held"))
        #expect(result.stdout.contains("| SIGKILL"), "the kill table was printed")
    }
}
