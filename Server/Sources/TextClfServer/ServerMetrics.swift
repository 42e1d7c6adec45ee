import Metrics
import Prometheus
import Synchronization

/// The server's metrics, recorded through swift-metrics into a Prometheus registry of its own
/// (no process-wide bootstrap, so tests can run several servers in one process).
///
///     textclf_requests_total{endpoint, status}   counter
///     textclf_request_duration_seconds           histogram
///     textclf_batch_size                         histogram of texts per inference batch
///     textclf_texts_classified_total             counter
///     textclf_queue_texts                        gauge: texts waiting
///     textclf_model_info{checksum}               gauge: 1 for the model being served
final class ServerMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let requestCounters = Mutex<[String: Metrics.Counter]>([:])
    private let duration: Metrics.Timer
    private let batchSize: Metrics.Recorder
    private let textsClassified: Metrics.Counter
    private let queueTexts: Metrics.Gauge
    private let model = Mutex<Metrics.Gauge?>(nil)

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        factory.defaultValueHistogramBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]
        self.factory = factory
        duration = Metrics.Timer(label: "textclf_request_duration_seconds", factory: factory)
        batchSize = Metrics.Recorder(label: "textclf_batch_size", factory: factory)
        textsClassified = Metrics.Counter(label: "textclf_texts_classified_total", factory: factory)
        queueTexts = Metrics.Gauge(label: "textclf_queue_texts", factory: factory)
    }

    /// Counts one answered request and its latency.
    func requestAnswered(endpoint: String, status: Int, nanoseconds: UInt64) {
        let key = endpoint + " " + String(status)
        let counter = requestCounters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Metrics.Counter(label: "textclf_requests_total",
                                  dimensions: [("endpoint", endpoint), ("status", String(status))], factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
        duration.recordNanoseconds(Int64(nanoseconds))
    }

    /// Counts one inference batch.
    func batchClassified(texts: Int) {
        batchSize.record(texts)
        textsClassified.increment(by: texts)
    }

    /// Records how many texts wait in the queue.
    func queueChanged(texts: Int) {
        queueTexts.record(texts)
    }

    /// Marks `checksum` as the model being served (and the previous one as no longer).
    func modelLoaded(checksum: String) {
        let gauge = Metrics.Gauge(label: "textclf_model_info", dimensions: [("checksum", checksum)], factory: factory)
        model.withLock { current in
            current?.record(0)
            gauge.record(1)
            current = gauge
        }
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
