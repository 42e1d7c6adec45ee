import Dispatch
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The HTTP classification service (SPEC §8): Hummingbird on the event loops, inference on
/// the server's own threads, SIGHUP reloads the model, SIGTERM and SIGINT drain and stop.
public enum ClassificationServer {
    /// Loads the model and serves it until SIGTERM or SIGINT; prints `listening on HOST:PORT`
    /// on stderr once it listens.
    /// - Throws: when the model cannot be loaded or the address cannot be bound.
    public static func run(_ settings: ServerSettings) async throws {
        let messages = logger(label: "textclf-server", level: settings.quiet ? .error : .info)
        let slot = try ModelSlot(path: settings.modelPath)
        if let warning = slot.current.icuWarning { messages.warning("\(warning)") }
        let metrics = ServerMetrics()
        metrics.modelLoaded(checksum: slot.current.checksum)
        let queue = InferenceQueue(
            limits: .init(threads: settings.threads, maxBatch: settings.maxBatch,
                          maxDelay: UInt64(settings.maxDelayMilliseconds * 1e6), maxQueue: settings.maxQueue,
                          timeout: UInt64(settings.timeoutMilliseconds) * 1_000_000),
            metrics: metrics)
        let drain = DrainState()
        let hangups = ModelReloader.HangupSignals()
        let responder = ServerResponder(
            settings: settings, slot: slot, queue: queue, metrics: metrics, drain: drain,
            accessLog: settings.quiet ? nil : logger(label: "access", level: .info))
        let quietLogger = logger(label: "hummingbird", level: .error)
        let host = settings.host
        let application = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: settings.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                FileHandle.standardError.write(Data("listening on \(host):\(port)\n".utf8))
            },
            logger: quietLogger)
        let group = ServiceGroup(configuration: .init(
            // Shutdown runs from the last to the first: drain, stop reloading, close the
            // server once its requests are answered, then stop the inference threads.
            services: [InferenceService(queue: queue), application,
                       ModelReloader(slot: slot, metrics: metrics, logger: messages, signals: hangups),
                       DrainGate(drain: drain, logger: messages)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: quietLogger))
        try await group.run()
        messages.info("stopped")
    }

    private static func logger(label: String, level: Logger.Level) -> Logger {
        var logger = Logger(label: label, factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = level
        return logger
    }
}
