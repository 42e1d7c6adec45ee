import Foundation
import Testing

/// Every bad request gets a JSON error with its status, and the server keeps serving.
@Suite("Bad requests", .serialized)
struct BadRequestTests {
    static func expectError(_ answer: HTTPExchange, _ status: Int, containing fragment: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == status, "\(answer.text)", sourceLocation: sourceLocation)
        #expect(answer.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
        let message = answer.json["error"] as? String ?? ""
        #expect(message.contains(fragment), "\(answer.text)", sourceLocation: sourceLocation)
    }

    @Test("each bad request gets its status and a JSON error")
    func badRequestsGetJSONErrors() throws {
        let server = try ServerProcess(model: ServerPaths.model("pool_mean"),
                                       ["--max-texts", "5", "--max-body", "1KiB", "--max-queue", "3", "--quiet"])
        let port = server.port
        func post(_ body: Data, _ contentType: String? = "application/json", path: String = "/v1/classify") throws -> HTTPExchange {
            try HTTPExchange(port: port, method: "POST", path: path, contentType: contentType, body: body)
        }
        Self.expectError(try post(Data("{\"texts\": [\"a\"".utf8)), 400, containing: "invalid JSON")
        Self.expectError(try post(Data("not json".utf8)), 400, containing: "invalid JSON")
        Self.expectError(try post(Data("{\"texts\": [\"a".utf8) + Data([0xFF, 0xFE]) + Data("\"]}".utf8)), 400, containing: "UTF-8")
        Self.expectError(try post(Data("{\"texts\": \"abc\"}".utf8)), 400, containing: "wrong type at texts")
        Self.expectError(try post(Data("{\"texts\": [1, 2]}".utf8)), 400, containing: "wrong type at texts[0]")
        Self.expectError(try post(Data("{\"texts\": [\"a\"], \"k\": \"2\"}".utf8)), 400, containing: "wrong type at k")
        Self.expectError(try post(Data("{\"texts\": [\"a\"], \"k\": 1.5}".utf8)), 400, containing: "k must be a whole number")
        Self.expectError(try post(Data("{\"texts\": [\"a\"], \"k\": 0}".utf8)), 400, containing: "k must be at least 1")
        Self.expectError(try post(Data("{\"texts\": [\"a\"], \"threshold\": 2}".utf8)), 400, containing: "threshold")
        Self.expectError(try post(Data("{\"texts\": [\"a\"], \"k\": 1, \"all_probabilities\": true}".utf8)), 400,
                         containing: "all_probabilities")
        Self.expectError(try post(Data("{\"k\": 1}".utf8)), 400, containing: "missing key texts")
        Self.expectError(try post(Data("[\"a\"]".utf8)), 400, containing: "wrong type")
        Self.expectError(try post(Data("{\"texts\": []}".utf8)), 400, containing: "texts is empty")
        Self.expectError(try post(Data("".utf8), "text/plain"), 400, containing: "texts is empty")
        Self.expectError(try post(Data("{\"texts\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}".utf8)), 400, containing: "at most 5")
        Self.expectError(try post(Data("a\nb\nc\nd\ne\nf\n".utf8), "text/plain"), 400, containing: "at most 5")
        Self.expectError(try post(Data("a\n".utf8), "text/plain", path: "/v1/classify?k=two"), 400, containing: "query parameter k")
        Self.expectError(try post(Data(repeating: 0x61, count: 1025), "text/plain"), 413, containing: "1024 bytes")
        Self.expectError(try post(Data("{\"texts\": [\"\(String(repeating: "a", count: 1100))\"]}".utf8)), 413,
                         containing: "1024 bytes")
        Self.expectError(try post(Data("texts=a".utf8), "application/x-www-form-urlencoded"), 415, containing: "content type")
        Self.expectError(try HTTPExchange(port: port, path: "/v2/classify"), 404, containing: "/v2/classify")
        Self.expectError(try HTTPExchange(port: port, path: "/"), 404, containing: "no such path")
        let wrongMethod = try HTTPExchange(port: port, path: "/v1/classify")
        Self.expectError(wrongMethod, 405, containing: "POST")
        #expect(wrongMethod.headers["allow"] == "POST")
        Self.expectError(try post(Data(), nil, path: "/metrics"), 405, containing: "GET")
        // More texts than the queue holds: 503 with Retry-After.
        let full = try post(Data("{\"texts\": [\"a\",\"b\",\"c\",\"d\"]}".utf8))
        Self.expectError(full, 503, containing: "queue is full")
        #expect(full.headers["retry-after"] == "1")

        // Still serving.
        let fine = try post(Data("{\"texts\": [\"abc\"]}".utf8))
        #expect(fine.status == 200)
        server.send(SIGTERM)
        #expect(server.waitForExit() == 0)
    }

    @Test("a request that waits longer than --timeout-ms gets 503")
    func slowAnswerTimesOut() throws {
        // A request whose body takes 1 s to come holds batches back for up to 2 s; the request
        // behind it may wait 100 ms.
        let server = try ServerProcess(model: ServerPaths.model("pool_mean"), ["--max-delay-ms", "2000", "--timeout-ms", "100", "--quiet"])
        let port = server.port
        let slow = onThreads(2) { index -> (HTTPExchange, TimeInterval) in
            if index == 1 { Thread.sleep(forTimeInterval: 0.2) }
            let started = Date()
            let answer = try HTTPExchange.classify(port: port, ["texts": ["abc"]], bodyDelay: index == 0 ? 1.0 : 0)
            return (answer, Date().timeIntervalSince(started))
        }
        let (waiting, seconds) = try #require(slow[1])
        Self.expectError(waiting, 503, containing: "no answer within 100 ms")
        #expect(waiting.headers["retry-after"] == "1")
        #expect(seconds < 0.7)
        #expect(slow[0]?.0.status == 200)
        server.send(SIGTERM)
        #expect(server.waitForExit() == 0)
    }

    @Test("bad options are usage errors (exit 2); a bad model file is exit 1 with one line")
    func badOptionsAndModel() throws {
        for arguments in [["--max-body", "1MB"], ["--threads", "0"], ["--port", "70000"]] {
            let process = Process()
            process.executableURL = ServerPaths.server
            process.arguments = ["-m", ServerPaths.model("pool_mean").path] + arguments
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 2, "\(arguments)")
        }
        let directory = try ServerPaths.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let broken = directory.appendingPathComponent("broken.safetensors")
        try Data("not a model".utf8).write(to: broken)
        let process = Process()
        process.executableURL = ServerPaths.server
        process.arguments = ["-m", broken.path, "--port", "0"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(message.hasPrefix("textclf-server: error: ") && message.split(separator: "\n").count == 1, "\(message)")
    }
}
