import Foundation
import Testing

/// Micro-batching mixes the texts of concurrent requests; each answer stays its own.
@Suite("Concurrent requests", .serialized)
struct ConcurrencyTests {
    static func batchCount(port: Int) throws -> Int {
        let metrics = try HTTPExchange(port: port, path: "/metrics").text
        return metrics.firstMatch(of: /textclf_batch_size_count (\d+)/).map { Int($0.1)! } ?? 0
    }

    @Test("200 concurrent requests get the answers they get one at a time", arguments: ["pool_mean", "lstm_words_multilingual"])
    func concurrentAnswersEqualSingleAnswers(model: String) throws {
        let corpus = model == "pool_mean" ? try ServerPaths.containsATexts() : try ServerPaths.manpageTexts()
        // Requests of 1 to 7 texts, with different k, so batches mix requests of every shape.
        let requests: [[String: Any]] = (0..<200).map { index in
            let texts = (0..<(1 + index % 7)).map { corpus[(index * 7 + $0 * 13) % corpus.count] }
            return index % 3 == 0 ? ["texts": texts, "k": 2] : ["texts": texts]
        }
        let server = try ServerProcess(model: ServerPaths.model(model), ["--threads", "2", "--max-delay-ms", "1000", "--quiet"])
        let alone = try requests.map { try HTTPExchange.classify(port: server.port, $0).text }
        let batchesAlone = try Self.batchCount(port: server.port)
        let bodies = requests.map { try! JSONSerialization.data(withJSONObject: $0) }
        // A request whose body comes 0.5 s late holds the batches back, so the concurrent
        // requests meet in the queue even on a busy machine.
        let slowGroup = DispatchGroup()
        slowGroup.enter()
        Thread {
            _ = try? HTTPExchange.classify(port: server.port, ["texts": ["slow"]], bodyDelay: 0.5)
            slowGroup.leave()
        }.start()
        Thread.sleep(forTimeInterval: 0.05)
        let together = onThreads(requests.count) { index in
            try HTTPExchange(port: server.port, method: "POST", path: "/v1/classify", contentType: "application/json",
                             body: bodies[index])
        }
        for (index, answer) in together.enumerated() {
            #expect(answer?.status == 200, "request \(index)")
            #expect(answer?.text == alone[index], "request \(index)")
        }
        slowGroup.wait()
        // The batches really mixed requests: without mixing, each request needs a batch of its own.
        let batchesTogether = try Self.batchCount(port: server.port) - batchesAlone
        #expect(batchesTogether < requests.count / 2, "\(batchesTogether) batches for 200 concurrent requests")
        server.send(SIGTERM)
        #expect(server.waitForExit() == 0)
    }
}
