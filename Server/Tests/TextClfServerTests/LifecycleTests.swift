import Foundation
import Testing

/// SIGHUP reloads the model without losing a request; SIGTERM drains and exits 0.
@Suite("Reload and shutdown", .serialized)
struct LifecycleTests {
    /// Copies `source` over `destination` through a rename, as a deployment replaces a file.
    static func replace(_ destination: URL, with source: URL) throws {
        let temporary = destination.appendingPathExtension("new")
        try? FileManager.default.removeItem(at: temporary)
        try FileManager.default.copyItem(at: source, to: temporary)
        guard rename(temporary.path, destination.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    @Test("a reload under load loses no request; every answer is its model's; a bad file keeps the old model")
    func reloadUnderLoad() throws {
        let directory = try ServerPaths.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let served = directory.appendingPathComponent("model.safetensors")
        let first = ServerPaths.model("lstm_words_multilingual"), second = ServerPaths.model("cnn_words_mean")
        try FileManager.default.copyItem(at: first, to: served)
        let texts = Array(try ServerPaths.manpageTexts().prefix(40))
        let server = try ServerProcess(model: served, ["--threads", "2", "--max-delay-ms", "1"])
        let port = server.port

        // Each model's answer to each request, asked alone.
        func answers() throws -> (model: String, bodies: [String]) {
            let bodies = try texts.indices.map { try HTTPExchange.classify(port: port, ["texts": [texts[$0], texts[($0 + 1) % texts.count]]]).text }
            let model = try #require(try HTTPExchange.classify(port: port, ["texts": ["x"]]).json["model"] as? String)
            return (model, bodies)
        }
        let before = try answers()

        // Eight clients send requests without pause while the model is swapped twice.
        let stop = ResultSlots<Bool>(count: 1)
        let clients = ResultSlots<[(Int, HTTPExchange)]>(count: 8)
        let group = DispatchGroup()
        for client in 0..<8 {
            group.enter()
            Thread {
                var exchanges: [(Int, HTTPExchange)] = []
                var index = client
                while stop.values[0] == nil {
                    let request = index % texts.count
                    if let answer = try? HTTPExchange.classify(port: port, ["texts": [texts[request], texts[(request + 1) % texts.count]]]) {
                        exchanges.append((request, answer))
                    } else {
                        exchanges.append((request, try! HTTPExchange(port: port, path: "/none")))  // a lost request fails below
                    }
                    index += 8
                }
                clients.set(client, exchanges)
                group.leave()
            }.start()
        }
        Thread.sleep(forTimeInterval: 0.3)
        try Self.replace(served, with: second)
        server.send(SIGHUP)
        Thread.sleep(forTimeInterval: 0.5)
        let broken = directory.appendingPathComponent("broken.safetensors")
        var bytes = try Data(contentsOf: second)
        bytes[bytes.count - 5] ^= 0xFF  // a flipped tensor byte: the checksum fails
        try bytes.write(to: broken)
        try Self.replace(served, with: broken)
        server.send(SIGHUP)
        Thread.sleep(forTimeInterval: 0.3)
        stop.set(0, true)
        group.wait()

        try Self.replace(served, with: second)  // back to a good file, to ask the new model alone
        let after = try answers()
        #expect(after.model != before.model)
        var counts = [before.model: 0, after.model: 0]
        for exchanges in clients.values {
            for (request, answer) in try #require(exchanges) {
                #expect(answer.status == 200, "\(answer.text)")
                let model = answer.json["model"] as? String ?? "none"
                counts[model, default: 0] += 1
                #expect(answer.text == (model == before.model ? before.bodies[request] : after.bodies[request]))
            }
        }
        #expect(counts.count == 2 && counts.values.allSatisfy { $0 > 0 }, "answers per model: \(counts)")
        // The bad file kept the new model and was logged once.
        let failures = server.stderr.split(separator: "\n").filter { $0.contains("reload failed") }
        #expect(failures.count == 1, "\(server.stderr)")
        #expect(server.stderr.contains("reloaded \(served.path), model \(after.model)"))
        server.send(SIGTERM)
        #expect(server.waitForExit() == 0)
    }

    @Test("SIGTERM answers the requests in flight, fails readiness while draining, then exits 0")
    func shutdownWithRequestsInFlight() throws {
        // A request whose body comes 1 s late holds the batches back (they wait up to 1.5 s for
        // it), so the requests are still in flight when SIGTERM arrives.
        let server = try ServerProcess(model: ServerPaths.model("pool_mean"), ["--max-delay-ms", "1500", "--quiet"])
        let port = server.port
        let texts = Array(try ServerPaths.containsATexts().prefix(10))
        let started = Date()
        let inFlight = ResultSlots<HTTPExchange>(count: texts.count)
        let group = DispatchGroup()
        for index in texts.indices {
            group.enter()
            Thread {
                if index > 0 { Thread.sleep(forTimeInterval: 0.1) }
                inFlight.set(index, try? HTTPExchange.classify(port: port, ["texts": [texts[index]]], bodyDelay: index == 0 ? 1.0 : 0))
                group.leave()
            }.start()
        }
        Thread.sleep(forTimeInterval: 0.4)
        server.send(SIGTERM)
        Thread.sleep(forTimeInterval: 0.2)
        let ready = try HTTPExchange(port: port, path: "/readyz")
        #expect(ready.status == 503)
        let refused = try HTTPExchange.classify(port: port, ["texts": ["abc"]])
        #expect(refused.status == 503 && refused.headers["retry-after"] == "1", "\(refused.text)")
        #expect(try HTTPExchange(port: port, path: "/healthz").status == 200)
        group.wait()
        #expect(Date().timeIntervalSince(started) > 0.9)
        #expect(server.waitForExit() == 0)

        // The answers equal those of a fresh server asked once for all the texts.
        let reference = try ServerProcess(model: ServerPaths.model("pool_mean"), ["--max-delay-ms", "0", "--quiet"])
        let all = try #require(try HTTPExchange.classify(port: reference.port, ["texts": texts]).json["predictions"] as? [Any])
        for (index, answer) in inFlight.values.enumerated() {
            #expect(answer?.status == 200)
            let predictions = answer?.json["predictions"] as? [Any] ?? []
            #expect(predictions.count == 1 && (predictions[0] as? NSDictionary) == (all[index] as? NSDictionary))
        }
        reference.send(SIGTERM)
        #expect(reference.waitForExit() == 0)
    }
}
