import Foundation
import Testing

/// Issue 14, part 4: the same AWS workload as tend YAML and Terraform HCL, planned by tend and by Terraform 1.11 with
/// hashicorp/aws (from the machine's filesystem mirror) against one moto_server: every top-level key Terraform's plan
/// JSON has, tend's has; per resource, the keys of `planned_values` and `resource_changes` entries, the actions and
/// every declared attribute's planned value agree (Benchmarks/compare_plan_json.py does the comparing).
@Suite struct PlanJSONComparisonTests {
    @Test func tendsPlanJSONMatchesTerraformsForOneWorkload() async throws {
        let dirs = ProcessInfo.processInfo.environment["TEND_TEST_PLUGIN_DIRS"] ?? ""
        try #require(!dirs.isEmpty, "no filesystem mirror with hashicorp/aws found: set TEND_TEST_PLUGIN_DIRS (make test does)")
        let script = TendBinary.packageRoot.appendingPathComponent("Benchmarks/compare_plan_json.py").path
        let result = try await TendBinary.pythonOffPool([script, "--tend", TendBinary.path, "--n", "10", "--plugin-dirs", dirs])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr.suffix(3000))")
        #expect(result.stdout.contains("14 resources compared"))
        #expect(!result.stdout.contains("DIFFERENCE"), "\(result.stdout)")
    }
}
