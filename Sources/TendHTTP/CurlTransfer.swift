import CCurl
import TendModel

/// One request sent on one easy handle, on the calling (transfer) thread.
struct CurlTransfer {
    /// The handle; reset before use, which keeps its live connections.
    let easy: UnsafeMutableRawPointer
    /// The shared connection pool, when one could be made.
    let share: UnsafeMutablePointer<tend_curl_share>?

    /// What libcurl hands to the callbacks while the transfer runs.
    final class Collector {
        var body: [UInt8] = []
        var headerLines: [(String, String)] = []
        let job: TransferJob

        init(job: TransferJob) {
            self.job = job
        }
    }

    /// Sends the job's request and waits for the answer.
    func perform(_ job: TransferJob) -> TransferOutcome {
        let request = job.request
        let collector = Collector(job: job)
        tend_curl_easy_reset(easy)
        var headers = headerList(for: request)
        defer { tend_curl_slist_free_all(headers) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let body = request.body.isEmpty ? [UInt8(0)] : request.body
        let code: CURLcode = body.withUnsafeBufferPointer { bodyBytes in
            errorBuffer.withUnsafeMutableBufferPointer { errorBytes in
                withExtendedLifetime(collector) {
                    configure(request, collector: collector)
                    configureBody(request, bytes: bodyBytes)
                    _ = tend_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headers)
                    _ = tend_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBytes.baseAddress))
                    return tend_curl_easy_perform(easy)
                }
            }
        }
        headers = nil
        guard code == CURLE_OK else {
            if code == CURLE_ABORTED_BY_CALLBACK, job.isCancelled { return .cancelled }
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(Self.error(for: code, detail: detail, request: request))
        }
        var status = 0
        _ = tend_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .response(HTTPResponse(status: status, headers: Self.joined(collector.headerLines), body: collector.body))
    }

    /// Options every request gets: URL, protocols, timeouts, redirects, the shared pool and callbacks.
    private func configure(_ request: HTTPRequest, collector: Collector) {
        let user = Unmanaged.passUnretained(collector).toOpaque()
        let timeout = max(1, Int(saturating: request.timeout * 1000))
        _ = tend_curl_setopt_string(easy, CURLOPT_URL, request.url)
        _ = tend_curl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = tend_curl_setopt_string(easy, CURLOPT_NOPROXY, "127.0.0.1,localhost")
        _ = tend_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = tend_curl_setopt_long(easy, CURLOPT_PATH_AS_IS, 1)
        _ = tend_curl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        _ = tend_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, timeout)
        _ = tend_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, min(timeout, max(1, Int(saturating: request.connectTimeout * 1000))))
        if request.maxRedirects > 0 {
            _ = tend_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 1)
            _ = tend_curl_setopt_long(easy, CURLOPT_MAXREDIRS, request.maxRedirects)
        }
        if let share { _ = tend_curl_setopt_share(easy, share) }
        _ = tend_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, user)
        _ = tend_curl_setopt_write_callback(easy) { data, size, count, user in
            guard let user else { return 0 }
            let collector = Unmanaged<Collector>.fromOpaque(user).takeUnretainedValue()
            let length = size * count
            if let data, length > 0 {
                collector.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
            }
            return length
        }
        _ = tend_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, user)
        _ = tend_curl_setopt_header_callback(easy) { data, size, count, user in
            guard let user else { return 0 }
            let collector = Unmanaged<Collector>.fromOpaque(user).takeUnretainedValue()
            let length = size * count
            if let data, length > 0 {
                let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
                CurlTransfer.collectHeader(line, into: collector)
            }
            return length
        }
        _ = tend_curl_setopt_long(easy, CURLOPT_NOPROGRESS, 0)
        _ = tend_curl_setopt_pointer(easy, CURLOPT_XFERINFODATA, user)
        _ = tend_curl_setopt_xferinfo_callback(easy) { user, _, _, _, _ in
            guard let user else { return 0 }
            return Unmanaged<Collector>.fromOpaque(user).takeUnretainedValue().job.isCancelled ? 1 : 0
        }
    }

    /// The method, and the body when there is one (kept alive by the caller for the transfer).
    private func configureBody(_ request: HTTPRequest, bytes: UnsafeBufferPointer<UInt8>) {
        let method = request.method.uppercased()
        let sendsBody = !request.body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH"
        if sendsBody {
            _ = tend_curl_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            _ = tend_curl_setopt_pointer(easy, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            if method != "POST" { _ = tend_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method) }
        } else if method == "HEAD" {
            _ = tend_curl_setopt_long(easy, CURLOPT_NOBODY, 1)
        } else {
            _ = tend_curl_setopt_long(easy, CURLOPT_HTTPGET, 1)
            if method != "GET" { _ = tend_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method) }
        }
    }

    /// The request's headers as a curl list, with `Expect` suppressed and `Content-Type` set for bodies.
    private func headerList(for request: HTTPRequest) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        func append(_ line: String) {
            if let longer = tend_curl_slist_append(list, line) { list = longer }
        }
        for header in request.headers {
            // "Name:" would remove a header; "Name;" sends it empty.
            append(header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        let method = request.method.uppercased()
        let sendsBody = !request.body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH"
        if sendsBody, request.header("content-type") == nil {
            append(request.body.isEmpty ? "Content-Type:" : "Content-Type: application/octet-stream")
        }
        if request.header("expect") == nil { append("Expect:") }
        return list
    }

    /// Adds one header line; a status line (a new response after a redirect or 100) starts over.
    static func collectHeader(_ line: String, into collector: Collector) {
        let trimmed = line.trimmingLineEnd
        if trimmed.hasPrefix("HTTP/") {
            collector.headerLines.removeAll()
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = trimmed[..<colon].lowercased()
        let value = String(trimmed[trimmed.index(after: colon)...]).trimmingSpaces
        collector.headerLines.append((name, value))
    }

    /// Header lines by name, repeats joined with ", ".
    static func joined(_ lines: [(String, String)]) -> [String: String] {
        var headers: [String: String] = [:]
        for (name, value) in lines {
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        return headers
    }

    /// An HTTPError for a failed transfer.
    static func error(for code: CURLcode, detail: String, request: HTTPRequest) -> HTTPError {
        let kind: HTTPError.Code
        // Only failures before a connection exists are certainly unsent. A send or receive error, an empty reply
        // or a timeout may come after the server read the whole request and acted on it.
        var wasNotSent = false
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SSL_CONNECT_ERROR:
            kind = .connection
            wasNotSent = true
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            kind = .connection
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            kind = .invalidURL
            wasNotSent = true
        case CURLE_TOO_MANY_REDIRECTS:
            kind = .tooManyRedirects
        default:
            kind = .other
        }
        let reason = detail.isEmpty ? String(cString: tend_curl_easy_strerror(code)) : detail
        return HTTPError(kind, "\(request.method) \(request.url): \(reason)", curlCode: Int(code.rawValue), wasNotSent: wasNotSent)
    }
}

extension String {
    /// The string without trailing CR and LF.
    var trimmingLineEnd: String {
        var scalars = Substring(self)
        while let last = scalars.last, last == "\r\n" || last == "\n" || last == "\r" { scalars.removeLast() }
        return String(scalars)
    }
}
