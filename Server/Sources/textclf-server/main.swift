import ArgumentParser
import Foundation
import TextClfServer

extension ByteSize: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// `textclf-server`: the options of SPEC §8's `textclf serve`, on its own executable so that the
/// server's dependencies stay out of the TextClf package.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "textclf-server",
        abstract: "Serve a model over HTTP: micro-batched classification, metrics, reload on SIGHUP.",
        discussion: """
            Endpoints: POST /v1/classify (application/json {"texts": [...], "k", "threshold", \
            "all_probabilities"}, or text/plain with one text per line and k, threshold as query \
            parameters, answered as classify's jsonl lines), GET /v1/model (info --json), \
            /healthz, /readyz, /metrics (Prometheus). SIGHUP reloads the model file; SIGTERM and \
            SIGINT finish the requests in flight and exit 0.

            Examples:
              textclf-server -m model.safetensors --port 8080
              curl -s localhost:8080/v1/classify -H 'Content-Type: application/json' -d '{"texts": ["free prize"]}'
            """
    )

    @Option(name: .shortAndLong, help: "The model file.")
    var model: String

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: a free port, printed at start).")
    var port = 8080

    @Option(help: "Inference threads (default: the number of cores).")
    var threads: Int?

    @Option(help: "Texts classified together at most.")
    var maxBatch = 256

    @Option(help: "Milliseconds the first text of a batch waits for others to join.")
    var maxDelayMs = 2.0

    @Option(help: "Largest request body (K, M = 10^3, 10^6; KiB, MiB = 2^10, 2^20).")
    var maxBody = ByteSize("1MiB")!

    @Option(help: "Texts per request at most.")
    var maxTexts = 1000

    @Option(help: "Texts waiting at most; beyond, requests get 503 with Retry-After.")
    var maxQueue = 10_000

    @Option(help: "Milliseconds a request may wait in the queue before it gets 503.")
    var timeoutMs = 10_000

    @Flag(help: "No access log (errors are still printed).")
    var quiet = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        if let threads { guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") } }
        guard maxBatch >= 1 else { throw ValidationError("--max-batch must be at least 1.") }
        guard maxDelayMs >= 0 && maxDelayMs.isFinite else { throw ValidationError("--max-delay-ms must be 0 or more.") }
        guard maxBody.bytes >= 1 else { throw ValidationError("--max-body must be at least 1 byte.") }
        guard maxTexts >= 1 else { throw ValidationError("--max-texts must be at least 1.") }
        guard maxQueue >= 1 else { throw ValidationError("--max-queue must be at least 1.") }
        guard timeoutMs >= 1 else { throw ValidationError("--timeout-ms must be at least 1.") }
    }

    func run() async throws {
        var settings = ServerSettings(modelPath: model, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        settings.host = host
        settings.port = port
        settings.maxBatch = maxBatch
        settings.maxDelayMilliseconds = maxDelayMs
        settings.maxBody = maxBody.bytes
        settings.maxTexts = maxTexts
        settings.maxQueue = maxQueue
        settings.timeoutMilliseconds = timeoutMs
        settings.quiet = quiet
        do {
            try await ClassificationServer.run(settings)
        } catch {
            FileHandle.standardError.write(Data("textclf-server: error: \(Self.message(error))\n".utf8))
            throw ExitCode(1)
        }
    }

    private static func message(_ error: any Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? String(describing: error)
    }
}

// swift-argument-parser exits 64 on a validation error; usage errors exit 2 (SPEC §2).
do {
    let command = try ServeCommand.parse()
    try await command.run()
} catch {
    let code = ServeCommand.exitCode(for: error)
    if code.rawValue == 64 {
        FileHandle.standardError.write(Data((ServeCommand.fullMessage(for: error) + "\n").utf8))
        exit(2)
    }
    ServeCommand.exit(withError: error)
}
