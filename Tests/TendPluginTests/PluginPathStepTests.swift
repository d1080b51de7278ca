import TendModel
import TendPlugin
import Testing

/// Plugin attribute paths read as Terraform writes them, and map onto tend's paths.
@Suite struct PluginPathStepTests {
    @Test(arguments: [
        ([PluginPathStep.attribute("rule"), .index(1), .attribute("port")], "rule[1].port"),
        ([.attribute("tags"), .key("env")], #"tags["env"]"#),
        ([.attribute("tags"), .key(#"a"b"#)], #"tags["a\"b"]"#),
        ([], ""),
    ])
    func rendersTerraformsSyntax(steps: [PluginPathStep], text: String) {
        #expect(PluginPathStep.render(steps) == text)
    }

    @Test func mapsOntoTendsAttributePaths() {
        #expect(PluginPathStep.attributePath([.attribute("rule"), .index(1), .attribute("port")])
            == AttributePath([.key("rule"), .index(1), .key("port")]))
        #expect(PluginPathStep.attributePath([.attribute("tags"), .key("env")]) == AttributePath(keys: "tags", "env"))
        #expect(PluginPathStep.attributePath([]) == nil)
    }
}
