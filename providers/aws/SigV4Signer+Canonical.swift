import TendHTTP

extension SigV4Signer {
    /// Headers that hop-by-hop proxies or clients may change, never signed (botocore's list).
    static let unsignedHeaderNames: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// The signed headers, lowercased and sorted, values trimmed with inner whitespace runs collapsed
    /// and repeats joined with `,`; `host` comes from the URL when the request has none.
    static func headersToSign(_ headers: [HTTPHeader], url: AWSURL) -> [HTTPHeader] {
        var values: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased()
            guard !unsignedHeaderNames.contains(name) else { continue }
            values[name, default: []].append(trimAll(header.value))
        }
        if values["host"] == nil { values["host"] = [url.hostHeader] }
        return values.keys
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { HTTPHeader($0, values[$0, default: []].joined(separator: ",")) }
    }

    /// The value without leading or trailing whitespace and with each inner run made one space.
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The canonical path: S3's as written; any other service's with dot segments and empty
    /// segments removed, then encoded again (so `%20` becomes `%2520`).
    func canonicalPath(_ path: String) -> String {
        if usesS3Rules { return path.isEmpty ? "/" : path }
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        var normalised = (path.hasPrefix("/") ? "/" : "") + segments.joined(separator: "/")
        if path.hasSuffix("/"), !segments.isEmpty { normalised += "/" }
        return AWSURIEncoding.encode(normalised, keepingSlash: true)
    }

    /// The canonical query: each name and value decoded (`+` is a space) and encoded again the AWS way,
    /// sorted by name then value; a name without `=` gets an empty value.
    static func canonicalQuery(_ query: String) -> String {
        var pairs: [(String, String)] = []
        for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = piece.firstIndex(of: "=") {
                name = piece[..<equals]
                value = piece[piece.index(after: equals)...]
            } else {
                name = piece
                value = ""
            }
            pairs.append((AWSURIEncoding.encode(bytes: AWSURIEncoding.decode(name, plusIsSpace: true), keepingSlash: false),
                          AWSURIEncoding.encode(bytes: AWSURIEncoding.decode(value, plusIsSpace: true), keepingSlash: false)))
        }
        pairs.sort { left, right in
            left.0 == right.0 ? left.1.utf8.lexicographicallyPrecedes(right.1.utf8) : left.0.utf8.lexicographicallyPrecedes(right.0.utf8)
        }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}
