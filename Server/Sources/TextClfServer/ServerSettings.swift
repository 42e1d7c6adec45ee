/// What `textclf-server` was asked to do (its command-line options).
public struct ServerSettings: Sendable {
    /// The model file to serve; SIGHUP reads it again.
    public var modelPath: String
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 8080
    /// Inference threads.
    public var threads: Int
    /// Texts classified together at most.
    public var maxBatch = 256
    /// Milliseconds the first text of a batch waits for others to join.
    public var maxDelayMilliseconds = 2.0
    /// Bytes a request body may have.
    public var maxBody = 1 << 20
    /// Texts a request may hold.
    public var maxTexts = 1000
    /// Texts the queue holds; beyond, requests get 503.
    public var maxQueue = 10_000
    /// Milliseconds a request may wait in the queue before it gets 503.
    public var timeoutMilliseconds = 10_000
    /// No access log.
    public var quiet = false

    public init(modelPath: String, threads: Int) {
        self.modelPath = modelPath
        self.threads = threads
    }
}
