import Foundation
import Testing

/// The server's answers are `textclf classify`'s, for JSON and text/plain requests.
@Suite("Answers equal classify", .serialized)
struct ClassifyAnswerTests {
    /// Probabilities as classify prints them: 6 decimals.
    static func sixDecimals(_ value: Double) -> String {
        let scaled = Int((Double(Float(value)) * 1_000_000).rounded())
        let fraction = String(scaled % 1_000_000)
        return "\(scaled / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// The labels and 6-decimal probabilities of one classify jsonl line.
    static func labelsAndProbabilities(jsonl line: Substring) throws -> ([String], [String]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let labels = try #require(object["labels"] as? [String])
        // The 6-decimal text exactly as classify wrote it.
        let numbers = line.firstMatch(of: /"probabilities":\[([^\]]*)\]/).map { String($0.1) } ?? ""
        return (labels, numbers.isEmpty ? [] : numbers.split(separator: ",").map(String.init))
    }

    /// Texts for each model, empty ones and a labeled line included.
    static func texts(for model: String) throws -> [String] {
        model == "pool_mean"
            ? try Array(ServerPaths.containsATexts().prefix(120)) + ["", "a"]
            : try Array(ServerPaths.manpageTexts().prefix(120)) + ["", "ß", "__label__en the text"]
    }

    @Test("JSON answers have classify's labels and probabilities", arguments: ["pool_mean", "lstm_words_multilingual"])
    func jsonAnswersEqualClassify(name: String) throws {
        let texts = try Self.texts(for: name).map { $0.hasPrefix("__label__") ? "plain " + $0 : $0 }
        let server = try ServerProcess(model: ServerPaths.model(name), ["--threads", "2", "--quiet"])
        for options in [[String: Any](), ["k": 2], ["k": 3, "threshold": 0.1], ["all_probabilities": true]] {
            var cliArguments = ["-m", ServerPaths.model(name).path, "--format", "jsonl", "--no-text"]
            if let k = options["k"] { cliArguments += ["--k", "\(k)"] }
            if let threshold = options["threshold"] { cliArguments += ["--threshold", "\(threshold)"] }
            if options["all_probabilities"] != nil { cliArguments.append("--all-probabilities") }
            let expected = try classifyWithCLI(cliArguments, input: Data(texts.joined(separator: "\n").utf8))
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            try #require(expectedLines.count == texts.count, "classify printed \(expected)")

            var body = options
            body["texts"] = texts
            let answer = try HTTPExchange.classify(port: server.port, body)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.headers["content-type"] == "application/json")
            let predictions = try #require(answer.json["predictions"] as? [[String: Any]])
            #expect(predictions.count == texts.count)
            for (prediction, line) in zip(predictions, expectedLines) {
                let (labels, numbers) = try Self.labelsAndProbabilities(jsonl: line)
                #expect(prediction["labels"] as? [String] == labels, "options \(options)")
                let probabilities = try #require(prediction["probabilities"] as? [Double])
                #expect(probabilities.map(Self.sixDecimals) == numbers, "options \(options)")
            }
        }
        server.send(SIGTERM)
        #expect(server.waitForExit() == 0)
    }

    @Test("text/plain answers are classify's jsonl lines, invalid UTF-8 repaired as classify does", arguments: ["pool_mean", "lstm_words_multilingual"])
    func plainTextAnswersEqualClassify(name: String) throws {
        var body = Data("\u{FEFF}".utf8) + Data(try Self.texts(for: name).joined(separator: "\r\n").utf8)
        body += Data([0x0A, 0x61, 0xFF, 0xC3, 0x20, 0x62, 0xE2, 0x82, 0x0A, 0x0A])  // bad bytes, then an empty line
        let server = try ServerProcess(model: ServerPaths.model(name), ["--threads", "2", "--quiet"])
        for (query, flags) in [("", [String]()), ("?k=2&threshold=0.05", ["--k", "2", "--threshold", "0.05"]),
                               ("?all_probabilities=true", ["--all-probabilities"])] {
            let expected = try classifyWithCLI(["-m", ServerPaths.model(name).path, "--format", "jsonl"] + flags, input: body)
            let answer = try HTTPExchange(port: server.port, method: "POST", path: "/v1/classify" + query,
                                          contentType: "text/plain; charset=utf-8", body: body)
            #expect(answer.status == 200)
            #expect(!expected.isEmpty)
            #expect(answer.text == expected)
        }
        server.send(SIGTERM)
        #expect(server.waitForExit() == 0)
    }

    @Test("GET /v1/model is info --json; health, readiness and Prometheus metrics")
    func modelHealthAndMetrics() throws {
        let model = ServerPaths.model("pool_mean")
        let server = try ServerProcess(model: model, ["--threads", "1"])
        let info = try HTTPExchange(port: server.port, path: "/v1/model")
        #expect(info.status == 200)
        let process = Process()
        process.executableURL = ServerPaths.cli
        process.arguments = ["info", "-m", model.path, "--json"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let cliInfo = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(info.text == String(decoding: cliInfo, as: UTF8.self))

        #expect(try HTTPExchange(port: server.port, path: "/healthz").status == 200)
        #expect(try HTTPExchange(port: server.port, path: "/readyz").status == 200)
        let answer = try HTTPExchange.classify(port: server.port, ["texts": ["abc", "xyz", ""]])
        let checksum = try #require(answer.json["model"] as? String)
        #expect(checksum.count == 8)
        let metrics = try HTTPExchange(port: server.port, path: "/metrics")
        #expect(metrics.status == 200)
        for line in [#"textclf_requests_total{endpoint="classify",status="200"} 1"#,
                     #"textclf_model_info{checksum="\#(checksum)"} 1"#,
                     "textclf_texts_classified_total 3",
                     "textclf_batch_size_count 1",
                     "textclf_request_duration_seconds_count"] {
            #expect(metrics.text.contains(line), "\(line) in \(metrics.text)")
        }
        server.send(SIGINT)
        #expect(server.waitForExit() == 0)
        // The access log: one line per request.
        #expect(server.stderr.contains("POST /v1/classify 200"))
        #expect(server.stderr.split(separator: "\n").filter { $0.contains(" GET /") || $0.contains(" POST /") }.count == 5)
    }
}
