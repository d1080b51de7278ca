import Foundation

/// An HTTP proxy on 127.0.0.1 (a free port) in front of moto_server that forwards every request, one per
/// connection, and breaks the ones its rule picks: answers 503 after forwarding (the request was carried out, its
/// answer lost), answers 503 without forwarding, drops the connection after forwarding, or throttles.
/// Stopped by `stop()` or when released.
final class FaultProxy: @unchecked Sendable {
    /// What happens to a request.
    enum Fault: Sendable, Hashable {
        /// Forwarded, carried out, and answered 503: the outcome is lost.
        case answerLost
        /// Answered 503 without forwarding: nothing happened, but the client cannot know.
        case refusedWith503
        /// Forwarded, carried out, and the connection closed without an answer.
        case connectionDropped
        /// Answered as AWS answers throttling (400 `Throttling` for the Query APIs, 503 `SlowDown` for S3), not forwarded.
        case throttled
    }

    /// A request as the proxy read it.
    struct Request: Sendable {
        var method: String
        /// The path with its query.
        var target: String
        var body: [UInt8]

        /// The Query API action of a form body (`CreateVpc`), if any.
        var action: String? {
            let form = String(decoding: body, as: UTF8.self)
            return form.split(separator: "&").first { $0.hasPrefix("Action=") }.map { String($0.dropFirst("Action=".count)) }
        }
    }

    /// Picks the fault for a request; nil forwards it untouched.
    typealias Rule = @Sendable (Request) -> Fault?

    let port: Int
    var endpoint: String { "http://127.0.0.1:\(port)" }
    private let upstreamPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var rule: Rule = { _ in nil }
    private var injected: [(action: String, fault: Fault)] = []
    private var served = 0
    private var isStopped = false

    /// Listens at once; forwards to moto_server on `upstreamPort`.
    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProxyFailure(description: "socket failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard bound == 0, named == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw ProxyFailure(description: "cannot listen on 127.0.0.1")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit {
        stop()
    }

    struct ProxyFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Replaces the rule; requests already in flight keep the old one.
    func setRule(_ rule: @escaping Rule) {
        lock.withLock { self.rule = rule }
    }

    /// Requests received so far, broken or not.
    var requestCount: Int {
        lock.withLock { served }
    }

    /// Every fault injected so far, with the request's action (or method and path).
    var faults: [(action: String, fault: Fault)] {
        lock.withLock { injected }
    }

    /// Stops accepting; connections in flight finish on their own.
    func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            defer { isStopped = true }
            return !isStopped
        }
        guard wasRunning else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    // MARK: - Rules

    /// Breaks the first `count` requests `matching` picks with `fault`, then forwards everything.
    static func first(_ count: Int, _ fault: Fault, where matching: @escaping @Sendable (Request) -> Bool) -> Rule {
        let remaining = Counter(count)
        return { request in matching(request) && remaining.take() ? fault : nil }
    }

    /// Breaks each request with probability `rate`, drawing the fault from `faults`, with a seeded generator.
    static func random(rate: Double, seed: UInt64, faults: [Fault]) -> Rule {
        let generator = SeededGenerator(seed: seed)
        return { _ in
            let (roll, pick) = generator.next()
            return roll < rate ? faults[Int(pick % UInt64(faults.count))] : nil
        }
    }

    // MARK: - Serving

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if lock.withLock({ isStopped }) { return }
                continue
            }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        guard let (head, body) = Self.readRequest(client) else { return }
        let requestLine = head.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let parts = requestLine.split(separator: " ").map(String.init)
        guard parts.count >= 2 else { return }
        let request = Request(method: parts[0], target: parts[1], body: body)
        let fault = lock.withLock { () -> Rule in
            served += 1
            return rule
        }(request)
        if let fault {
            lock.withLock { injected.append((request.action ?? "\(request.method) \(request.target)", fault)) }
        }
        switch fault {
        case nil:
            guard let answer = forward(head: head, body: body) else { return }
            Self.writeAll(client, answer)
        case .answerLost:
            _ = forward(head: head, body: body)
            Self.writeAll(client, Self.response(503, "Service Unavailable", body: ""))
        case .refusedWith503:
            Self.writeAll(client, Self.response(503, "Service Unavailable", body: ""))
        case .connectionDropped:
            _ = forward(head: head, body: body)
        case .throttled:
            if request.action != nil {
                Self.writeAll(client, Self.response(400, "Bad Request", body: "<Response><Errors><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></Errors></Response>"))
            } else {
                Self.writeAll(client, Self.response(503, "Slow Down", body: "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"))
            }
        }
    }

    /// Sends the request to moto with `Connection: close` and returns its whole answer, also marked `Connection: close`.
    private func forward(head: String, body: [UInt8]) -> [UInt8]? {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard upstream >= 0 else { return nil }
        defer { close(upstream) }
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        Self.writeAll(upstream, Array(Self.closing(head).utf8) + body)
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(upstream, &buffer, buffer.count)
            if count <= 0 { break }
            answer.append(contentsOf: buffer[0..<count])
        }
        guard let end = Self.headEnd(answer) else { return answer }
        let answerHead = String(decoding: answer[0..<end], as: UTF8.self)
        return Array(Self.closing(answerHead).utf8) + answer[end...]
    }

    // MARK: - Bytes

    /// The head (request line and headers, ending with the blank line) and the body of one request.
    private static func readRequest(_ fd: Int32) -> (String, [UInt8])? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while headEnd(data) == nil {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { return nil }
            data.append(contentsOf: buffer[0..<count])
        }
        guard let end = headEnd(data) else { return nil }
        let head = String(decoding: data[0..<end], as: UTF8.self)
        let length = head.split(separator: "\r\n").compactMap { line -> Int? in
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "content-length" else { return nil }
            return Int(pair[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        while data.count - end < length {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { return nil }
            data.append(contentsOf: buffer[0..<count])
        }
        return (head, Array(data[end..<(end + length)]))
    }

    /// The index just past the `\r\n\r\n` that ends a head.
    private static func headEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4) where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    /// A head with its `Connection` header replaced by `Connection: close`.
    private static func closing(_ head: String) -> String {
        let lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty && !$0.lowercased().hasPrefix("connection:") }
        return (lines + ["Connection: close"]).joined(separator: "\r\n") + "\r\n\r\n"
    }

    private static func response(_ status: Int, _ reason: String, body: String) -> [UInt8] {
        Array("HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/xml\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            offset += written
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// A countdown shared by a rule's calls.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int

    init(_ count: Int) { remaining = count }

    /// Whether one was left (and takes it).
    func take() -> Bool {
        lock.withLock {
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
    }
}

/// SplitMix64 behind a lock: the same seed gives the same faults for the same sequence of requests.
private final class SeededGenerator: @unchecked Sendable {
    private let lock = NSLock()
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A roll in [0, 1) and a second number to pick with.
    func next() -> (Double, UInt64) {
        lock.withLock { (Double(step() >> 11) / Double(1 << 53), step()) }
    }

    private func step() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
