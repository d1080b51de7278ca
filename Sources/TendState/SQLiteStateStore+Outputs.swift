import TendModel

/// Outputs recorded by the last apply: one row per output, its value as JSON.
extension SQLiteStateStore {
    public func outputs() throws -> [OutputValue] {
        try read(empty: []) { connection in
            try connection.query("SELECT name, value, sensitive FROM outputs ORDER BY name") { row in
                OutputValue(name: row.text(0), value: try StateJSON.decodeValue(row.text(1), column: "outputs.value"),
                            sensitive: row.int64(2) != 0)
            }
        }
    }

    public func replaceOutputs(_ outputs: [OutputValue]) throws {
        try write { connection in
            try connection.run("DELETE FROM outputs")
            for output in outputs {
                try connection.run("INSERT INTO outputs (name, value, sensitive) VALUES (?1, ?2, ?3)",
                                   [.text(output.name), .text(output.value.canonicalJSON), .integer(output.sensitive ? 1 : 0)])
            }
        }
    }
}
