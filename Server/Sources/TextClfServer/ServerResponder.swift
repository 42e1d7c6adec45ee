import Dispatch
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Answers every HTTP request: routes it, turns every failure into a JSON error, counts it in
/// the metrics and writes its access-log line.
struct ServerResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let settings: ServerSettings
    let slot: ModelSlot
    let queue: InferenceQueue
    let metrics: ServerMetrics
    let drain: DrainState
    /// nil with `--quiet`.
    let accessLog: Logger?

    /// The paths served, each with its one method.
    private static let routes: [String: HTTPRequest.Method] = [
        "/v1/classify": .post, "/v1/model": .get, "/healthz": .get, "/readyz": .get, "/metrics": .get,
    ]

    func respond(to request: Request, context: Context) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let path = request.uri.path
        let response: Response
        do {
            response = try await route(request, path: path)
        } catch {
            response = Self.errorResponse(error)
        }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        let endpoint = Self.routes[path] == nil ? "other" : String(path.split(separator: "/").last!)
        metrics.requestAnswered(endpoint: endpoint, status: response.status.code, nanoseconds: elapsed)
        if let accessLog {
            let milliseconds = Double(elapsed / 1000) / 1000
            accessLog.info("\(request.method) \(request.uri) \(response.status.code) \(milliseconds) ms")
        }
        return response
    }

    private func route(_ request: Request, path: String) async throws(APIError) -> Response {
        guard let method = Self.routes[path] else { throw APIError(status: .notFound, message: "no such path: \(path)") }
        guard request.method == method else {
            var error = Self.errorResponse(APIError(status: .methodNotAllowed, message: "\(path) takes \(method) only"))
            error.headers[.allow] = method.rawValue
            return error
        }
        switch path {
        case "/v1/classify":
            return try await classify(request)
        case "/v1/model":
            return Self.response(.ok, contentType: "application/json", slot.current.infoJSON + "\n")
        case "/healthz":
            return Self.response(.ok, contentType: "application/json", "{\"status\":\"ok\"}\n")
        case "/readyz":
            if drain.isDraining {
                return Self.response(.serviceUnavailable, contentType: "application/json", "{\"status\":\"draining\"}\n")
            }
            return Self.response(.ok, contentType: "application/json", "{\"status\":\"ready\"}\n")
        default:
            var buffer = ByteBuffer()
            buffer.writeBytes(metrics.exposition())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: buffer))
        }
    }

    private func classify(_ request: Request) async throws(APIError) -> Response {
        guard drain.admit() else {
            throw APIError(status: .serviceUnavailable, message: "the server is shutting down", retryAfter: 1)
        }
        defer { drain.finish() }
        queue.expect()
        let parsed: ClassifyRequest
        do {
            parsed = try await parse(request)
        } catch {
            queue.abandon()
            throw error
        }
        let model = slot.current
        let job = ClassificationJob(texts: parsed.texts, model: model)
        let outcome = await job.outcome { job in
            if !queue.submit(job) { job.fail(.queueFull) }
        }
        switch outcome {
        case .queueFull:
            throw APIError(status: .serviceUnavailable, message: "the queue is full", retryAfter: 1)
        case .timedOut:
            throw APIError(status: .serviceUnavailable,
                           message: "no answer within \(settings.timeoutMilliseconds) ms", retryAfter: 1)
        case .classified(let rows):
            switch parsed.style {
            case .json:
                let predictions = rows.map { model.predictions($0, choice: parsed.choice) }
                return Self.response(.ok, contentType: "application/json",
                                     ResponseJSON.predictions(model: model.checksum, predictions) + "\n")
            case .jsonl:
                var lines = ""
                for (text, row) in zip(parsed.texts, rows) {
                    lines += model.jsonlLine(text: text, row: row, choice: parsed.choice) + "\n"
                }
                return Self.response(.ok, contentType: "application/jsonl", lines)
            }
        }
    }

    /// The request's texts and options, by its content type.
    private func parse(_ request: Request) async throws(APIError) -> ClassifyRequest {
        let mediaType = request.headers[.contentType].map { value in
            // The usual header as it is: Foundation's trimming took 2% of the server's CPU on 1-text requests.
            value == "application/json" ? value
                : value.split(separator: ";", maxSplits: 1)[0].trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard mediaType == nil || mediaType == "application/json" || mediaType == "text/plain" else {
            throw APIError(status: .unsupportedMediaType,
                           message: "content type \(mediaType!) is not application/json or text/plain")
        }
        let tooLarge = APIError(status: .contentTooLarge, message: "the body is over \(settings.maxBody) bytes")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > settings.maxBody { throw tooLarge }
        let body: [UInt8]
        do {
            var buffer = try await request.body.collect(upTo: settings.maxBody)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            throw tooLarge
        } catch {
            throw APIError(status: .badRequest, message: "the body could not be read")
        }
        if mediaType == "text/plain" {
            var query: [String: String] = [:]
            for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
            return try ClassifyRequest(plainText: body, query: query, maxTexts: settings.maxTexts)
        }
        return try ClassifyRequest(json: body, maxTexts: settings.maxTexts)
    }

    private static func errorResponse(_ error: APIError) -> Response {
        var response = response(error.status, contentType: "application/json", ResponseJSON.error(error.message) + "\n")
        if let seconds = error.retryAfter { response.headers[.retryAfter] = String(seconds) }
        return response
    }

    private static func response(_ status: HTTPResponse.Status, contentType: String, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
