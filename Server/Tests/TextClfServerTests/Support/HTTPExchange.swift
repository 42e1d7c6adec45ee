import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 exchange over a new loopback connection, with blocking sockets, so tests can
/// send exactly the bytes they mean (bad UTF-8, any method or content type) and run many
/// exchanges on plain threads.
struct HTTPExchange {
    let status: Int
    let headers: [String: String]
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object.
    var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }

    /// Sends one request with `Connection: close` and reads the whole answer. With `bodyDelay`,
    /// the body follows the head that many seconds later (the request is on its way meanwhile).
    init(port: Int, method: String = "GET", path: String, contentType: String? = nil, body: Data = Data(),
         bodyDelay: TimeInterval = 0) throws {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        if method == "POST" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        let answer = try Self.exchange(port: port, head: Data((head + "\r\n").utf8), body: body, bodyDelay: bodyDelay)
        guard let end = answer.range(of: Data("\r\n\r\n".utf8)) else { throw HTTPTestError.malformed(answer) }
        let lines = String(decoding: answer[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw HTTPTestError.malformed(answer) }
        self.status = status
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.headers = headers
        self.body = Data(answer[end.upperBound...])
    }

    /// A JSON `POST /v1/classify`.
    static func classify(port: Int, _ object: [String: Any], bodyDelay: TimeInterval = 0) throws -> HTTPExchange {
        try HTTPExchange(port: port, method: "POST", path: "/v1/classify", contentType: "application/json",
                         body: JSONSerialization.data(withJSONObject: object), bodyDelay: bodyDelay)
    }

    private static func exchange(port: Int, head: Data, body: Data, bodyDelay: TimeInterval) throws -> Data {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw HTTPTestError.socket(errno) }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HTTPTestError.socket(errno) }
        try sendAll(socket, head)
        if bodyDelay > 0 { Thread.sleep(forTimeInterval: bodyDelay) }
        try sendAll(socket, body)
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count < 0 { if errno == ECONNRESET && !answer.isEmpty { break }; throw HTTPTestError.socket(errno) }
            if count == 0 { break }
            answer.append(contentsOf: buffer[0..<count])
        }
        return answer
    }
}

extension HTTPExchange {
    private static func sendAll(_ socket: Int32, _ data: Data) throws {
        try data.withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let count = send(socket, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                // The server may answer (413) and close before it has read everything.
                if count < 0 { if errno == EPIPE || errno == ECONNRESET { return }; throw HTTPTestError.socket(errno) }
                sent += count
            }
        }
    }
}

enum HTTPTestError: Error {
    case socket(Int32)
    case malformed(Data)
}

/// Runs `body(index)` for every index in `0..<count`, each on its own thread, all at once.
func onThreads<Result: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Result) -> [Result?] {
    let results = ResultSlots<Result>(count: count)
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            results.set(index, try? body(index))
            group.leave()
        }
        thread.start()
    }
    group.wait()
    return results.values
}

/// Results written by many threads, one slot each.
final class ResultSlots<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result?) { lock.withLock { slots[index] = value } }
    /// Appends to a slot that holds data.
    func append(_ index: Int, _ data: Data) where Result == Data {
        lock.withLock { slots[index] = (slots[index] ?? Data()) + data }
    }
    var values: [Result?] { lock.withLock { slots } }
}
