import HTTPTypes

/// A request the server answers with an error status and `{"error": message}`.
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    /// Seconds after which a client may try again (503 only).
    var retryAfter: Int?

    static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, message: message) }
}
