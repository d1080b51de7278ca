import Foundation
import TendModel

/// The dependency graph in Graphviz DOT: one node per resource instance, edges from a resource to what it depends on.
struct GraphDOTView {
    func render(_ specs: [ResourceSpec]) -> String {
        var out = "digraph tend {\n  rankdir = \"RL\";\n  node [shape = box];\n"
        for spec in specs.sorted(by: { $0.address < $1.address }) {
            out += "  \(Self.quote(spec.address.description)) [label = \(Self.quote("\(spec.address)\n\(spec.type)"))];\n"
        }
        for spec in specs.sorted(by: { $0.address < $1.address }) {
            for dependency in Set(spec.dependencies).sorted() {
                out += "  \(Self.quote(spec.address.description)) -> \(Self.quote(dependency.description));\n"
            }
        }
        return out + "}\n"
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
