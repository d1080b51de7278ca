import Foundation
import ProviderKit
import TendHTTP
import TendModel

/// One configured connection to AWS (or an AWS-compatible endpoint): credentials, region, endpoint, the HTTP
/// client, and the Query and REST calls every resource type uses. Counts the requests it sends.
public final class AWSSession: Sendable {
    public let configuration: AWSConfiguration
    public let http: HTTPClient
    let clock: @Sendable () -> Date
    /// Seconds one request may take (the provider block's `request_timeout`).
    let requestTimeout: Double
    /// Listings shared by the creates of this session (`AWSInventory`).
    let inventory = AWSInventory()

    public init(configuration: AWSConfiguration, maxConcurrency: Int = 16, maxRetries: Int = 4, requestTimeout: Double = 30,
                clock: @escaping @Sendable () -> Date) {
        self.configuration = configuration
        self.requestTimeout = requestTimeout
        self.http = HTTPClient(maxConcurrency: maxConcurrency, retry: .aws(maxRetries: maxRetries))
        self.clock = clock
    }

    /// Requests sent so far, retries included.
    public var requestCount: Int { http.requestCount }

    /// Requests the HTTP client sent again so far (throttled, never sent, or reads): part of `requestCount`.
    public var retryCount: Int { http.retryCount }

    /// Whether an action only reads (`Describe…`, `List…`, `Get…`), so sending it twice does nothing twice and the
    /// HTTP client may send it again after a 5xx, a timeout or a reset. Every other action may change something.
    static func isReadOnly(action: String) -> Bool {
        ["Describe", "List", "Get"].contains { action.hasPrefix($0) }
    }

    /// The base URL of a service: the configured endpoint for every service, else AWS's own.
    func baseURL(service: String) -> String {
        if let endpoint = configuration.endpoint {
            return endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        }
        switch service {
        case "iam": return "https://iam.amazonaws.com"
        case "s3": return "https://s3.\(configuration.region).amazonaws.com"
        default: return "https://\(service).\(configuration.region).amazonaws.com"
        }
    }

    /// The region a service's requests are signed for (IAM is global: us-east-1).
    func signingRegion(service: String) -> String {
        service == "iam" ? "us-east-1" : configuration.region
    }

    /// A Query-protocol call (EC2, IAM): form-encoded POST, XML response. Throws ProviderError with AWS's code.
    public func query(service: String, version: String, action: String, parameters: [String: String]) async throws -> XMLNode {
        var form = ["Action": action, "Version": version]
        for (key, value) in parameters { form[key] = value }
        let body = form.keys.sorted().map { "\(AWSURIEncoding.encode($0))=\(AWSURIEncoding.encode(form[$0] ?? ""))" }
            .joined(separator: "&")
        var request = HTTPRequest(method: "POST", url: baseURL(service: service) + "/", body: Array(body.utf8),
                                  timeout: requestTimeout, isIdempotent: Self.isReadOnly(action: action))
        request.setHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        let response = try await send(request, service: service, operation: "\(service):\(action)")
        guard let document = XMLNode.parse(response.body) else {
            throw ProviderError(.failed, "\(service):\(action) returned a response that is not XML (HTTP \(response.status))")
        }
        return document
    }

    /// A JSON-protocol call (the Resource Groups Tagging API): POST of a JSON body naming the operation in
    /// X-Amz-Target, JSON response. Throws ProviderError with AWS's code.
    public func json(service: String, target: String, body: [String: Value]) async throws -> [String: Value] {
        let action = target.split(separator: ".").last.map(String.init) ?? target
        let operation = "\(service):\(action)"
        var request = HTTPRequest(method: "POST", url: baseURL(service: service) + "/", body: Array(Value.map(body).canonicalJSON.utf8),
                                  timeout: requestTimeout, isIdempotent: Self.isReadOnly(action: action))
        request.setHeader("Content-Type", "application/x-amz-json-1.1")
        request.setHeader("X-Amz-Target", target)
        let response = try await send(request, service: service, operation: operation)
        // Not JSON is reported just below as a response that is not a JSON object, with its status.
        guard case let .map(document)? = response.body.withUnsafeBufferPointer({ try? JSONValueParser.parse($0) }) else {
            throw ProviderError(.failed, "\(operation) returned a response that is not a JSON object (HTTP \(response.status))")
        }
        return document
    }

    /// A REST call (S3): path-style URL when an endpoint is configured. Returns the response for 2xx; AWS errors throw.
    public func rest(service: String, method: String, path: String, query: [String: String] = [:], headers: [HTTPHeader] = [],
                     body: [UInt8] = [], operation: String, allowing statuses: Set<Int> = []) async throws -> HTTPResponse {
        let queryText = query.keys.sorted().map { key in
            let value = query[key] ?? ""
            return value.isEmpty ? AWSURIEncoding.encode(key) : "\(AWSURIEncoding.encode(key))=\(AWSURIEncoding.encode(value))"
        }.joined(separator: "&")
        let encodedPath = AWSURIEncoding.encode(path, keepingSlash: true)
        var request = HTTPRequest(method: method, url: baseURL(service: service) + encodedPath + (queryText.isEmpty ? "" : "?" + queryText),
                                  headers: headers, body: body, timeout: requestTimeout)
        if !body.isEmpty, request.header("content-type") == nil { request.setHeader("Content-Type", "application/xml") }
        return try await send(request, service: service, operation: operation, allowing: statuses)
    }

    /// Sends a signed request. The HTTP client sends it again only when that cannot do anything twice (see
    /// `HTTPRetryPolicy`); any other failure comes back as a `ProviderError` for the engine's one retry layer:
    /// transient for throttling, 5xx, timeouts and lost connections, with `wasNotSent` only when AWS certainly did
    /// nothing (the request never left, or was throttled, which AWS does before acting). A change whose outcome is
    /// unknown is recorded in the operation's `AWSOperationJournal`, so a create's or update's error says
    /// `wasNotSent` exactly when nothing it sent can have changed anything.
    private func send(_ request: HTTPRequest, service: String, operation: String, allowing statuses: Set<Int> = []) async throws -> HTTPResponse {
        let signer = SigV4Signer(credentials: configuration.credentials, region: signingRegion(service: service), service: service)
        let signed = try signer.signed(request, at: clock())
        let response: HTTPResponse
        do {
            response = try await http.send(signed)
        } catch let error as HTTPError {
            if !request.isIdempotent, !error.wasNotSent { AWSOperationJournal.current?.recordChange() }
            let code: ProviderError.Code = error.isTransient ? .transient : .failed
            let hint = error.wasNotSent ? "check the endpoint and region" : "the request may have been carried out"
            throw ProviderError(code, "\(operation): cannot reach \(baseURL(service: service)): \(error.message); \(hint)",
                                remoteCode: error.code.rawValue, wasNotSent: error.wasNotSent)
        }
        let isThrottled = AWSErrorParser.isThrottling(response)
        if !request.isIdempotent, response.isSuccess || (response.status >= 500 && !isThrottled) {
            AWSOperationJournal.current?.recordChange()
        }
        if response.isSuccess || statuses.contains(response.status) { return response }
        var error = AWSErrorParser.providerError(for: response, operation: operation)
        // AWS throttles a request before acting on it: nothing happened, whatever the request was.
        if isThrottled { error.wasNotSent = true }
        throw error
    }
}
