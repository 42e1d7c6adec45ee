import Dispatch
import Foundation
import Logging
import ServiceLifecycle

/// Runs the inference threads for the server's lifetime; on shutdown, the last service to
/// stop, they finish what is queued and end.
struct InferenceService: Service {
    let queue: InferenceQueue

    func run() async throws {
        queue.start()
        try? await gracefulShutdown()
        queue.stop()
    }
}

/// Reloads the model on SIGHUP. A file that fails to load leaves the old model in place and
/// logs one line.
struct ModelReloader: Service {
    let slot: ModelSlot
    let metrics: ServerMetrics
    let logger: Logger
    /// Created before the server listens, so that an early SIGHUP never ends the process.
    let signals: HangupSignals

    /// SIGHUP as a dispatch source (reloads run on its serial queue, one at a time).
    final class HangupSignals: @unchecked Sendable {
        let source: any DispatchSourceSignal

        /// Catches SIGHUP from now on (its default action would end the process).
        init() {
            signal(SIGHUP, SIG_IGN)
            source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "model-reload"))
        }
    }

    func run() async throws {
        signals.source.setEventHandler { [slot, metrics, logger] in
            do {
                let model = try slot.reload()
                metrics.modelLoaded(checksum: model.checksum)
                logger.info("reloaded \(slot.path), model \(model.checksum)")
            } catch {
                logger.error("reload failed, still serving the previous model: \(error.localizedDescription)")
            }
        }
        signals.source.resume()
        try? await gracefulShutdown()
        signals.source.cancel()
    }
}

/// The first service to hear of a shutdown: readiness fails and new classifications get 503
/// from then on; it returns once the classifications in flight are answered, and only then
/// does the HTTP server stop accepting connections.
struct DrainGate: Service {
    let drain: DrainState
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        drain.startDraining()
        logger.info("draining: \(drain.requestsInFlight) request(s) in flight")
        while drain.requestsInFlight > 0 && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
