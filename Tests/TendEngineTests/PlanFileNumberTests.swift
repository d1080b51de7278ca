import Foundation
import TendEngine
import TendModel
import TendState
import Testing

/// A saved plan (`plan -out`) carries numbers exactly: apply must execute the very values that were planned.
@Suite struct PlanFileNumberTests {
    @Test func savedPlanKeepsNumbersExactly() throws {
        let texts = ["9007199254740993", "12345678901234567890.5", "1e300", "-0.1", "5e-324", "0.000001"]
        let numbers = try texts.map { Value.number(try #require(Number(parsing: $0))) }
        let settings = PlanSettings(directory: "/tmp/exact", stack: "exact",
                                    providers: ["aws": ["max_concurrency": .number(16), "numbers": .list(numbers)]])
        let saved = PlanFile(settings: settings, plan: Plan(changes: [], drift: [], specs: [], lineage: nil, serial: 3))
        let key = PlanKey.generate()
        let read = try PlanFile.decode(try saved.sealed(with: key), path: "exact.tfplan") { key }
        #expect(read.settings == settings)
        #expect(read.settings.providers["aws"]?["numbers"]?.canonicalJSON
                == "[9007199254740993,12345678901234567890.5,1e300,-0.1,5e-324,0.000001]")
    }
}
