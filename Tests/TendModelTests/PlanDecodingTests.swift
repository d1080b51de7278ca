import Foundation
import TendModel
import Testing

@Suite struct PlanDecodingTests {
    /// A plan saved (in clear, format version 1) before plans held deposed objects and interrupted creates.
    @Test func aPlanSavedBeforeDeposedObjectsDecodesWithNone() throws {
        let plan = Plan(changes: [], drift: [], specs: [], lineage: "l", serial: 3)
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(plan)) as? [String: Any])
        #expect(object["deposed"] != nil)
        object["deposed"] = nil
        object["pendingCreates"] = nil
        let decoded = try JSONDecoder().decode(Plan.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded == plan)
    }
}
