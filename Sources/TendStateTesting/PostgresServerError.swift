/// Why the test server could not start or stop.
public struct PostgresServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
