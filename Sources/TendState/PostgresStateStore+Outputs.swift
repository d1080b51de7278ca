import TendModel

/// Outputs recorded by the last apply: one row per stack and output, its value as JSON.
extension PostgresStateStore {
    public func outputs() throws -> [OutputValue] {
        try read { connection in
            try connection.execute("SELECT name, value, sensitive FROM outputs WHERE stack = $1 ORDER BY name", [.text(stack)])
                .map { row in
                    OutputValue(name: row.text(0), value: try StateJSON.decodeValue(row.text(1), column: "outputs.value"),
                                sensitive: row.int64(2) != 0)
                }
        }
    }

    public func replaceOutputs(_ outputs: [OutputValue]) throws {
        try write { connection in
            try connection.execute("DELETE FROM outputs WHERE stack = $1", [.text(stack)])
            for output in outputs {
                try connection.execute("INSERT INTO outputs (stack, name, value, sensitive) VALUES ($1, $2, $3, $4::bigint)",
                                       [.text(stack), .text(output.name), .text(output.value.canonicalJSON),
                                        .integer(output.sensitive ? 1 : 0)])
            }
        }
    }
}
