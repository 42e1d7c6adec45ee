import Dispatch
import Synchronization

/// How a request's classification ended.
enum JobOutcome: Sendable {
    /// Every text's probabilities (nil for a text without any token), in request order.
    case classified([[Float]?])
    /// The queue held too many texts to take this request.
    case queueFull
    /// The request waited in the queue longer than the timeout.
    case timedOut
}

/// One request's texts on their way through the inference queue. Workers may classify its
/// texts in several batches, on several threads; the last one to finish resumes the request.
final class ClassificationJob: Sendable {
    let texts: [String]
    /// The model the whole request runs on, fixed when it arrives, so a reload never mixes two.
    let model: LoadedModel
    /// When the request entered the queue (`DispatchTime` nanoseconds).
    let arrival: UInt64

    private struct Progress {
        var rows: [[Float]?]
        var remaining: Int
        var continuation: CheckedContinuation<JobOutcome, Never>?
        var ended = false
    }
    private let progress: Mutex<Progress>

    init(texts: [String], model: LoadedModel) {
        self.texts = texts
        self.model = model
        arrival = DispatchTime.now().uptimeNanoseconds
        progress = Mutex(Progress(rows: Array(repeating: nil, count: texts.count), remaining: texts.count))
    }

    /// Waits for the outcome; `start` queues the job once it can be answered.
    func outcome(start: (ClassificationJob) -> Void) async -> JobOutcome {
        await withCheckedContinuation { continuation in
            progress.withLock { $0.continuation = continuation }
            start(self)
        }
    }

    /// Stores the rows of `range`; the call that completes the request resumes it.
    func deliver(_ rows: ArraySlice<[Float]?>, for range: Range<Int>) {
        let finished: (CheckedContinuation<JobOutcome, Never>, [[Float]?])? = progress.withLock { state in
            guard !state.ended else { return nil }
            state.rows.replaceSubrange(range, with: rows)
            state.remaining -= range.count
            guard state.remaining == 0, let continuation = state.continuation else { return nil }
            state.ended = true
            state.continuation = nil
            return (continuation, state.rows)
        }
        // Resumed outside the lock: the request's task may start running at once.
        if let (continuation, rows) = finished { continuation.resume(returning: .classified(rows)) }
    }

    /// Ends the request without an answer, unless it already has one.
    func fail(_ outcome: JobOutcome) {
        let continuation = progress.withLock { state -> CheckedContinuation<JobOutcome, Never>? in
            guard !state.ended else { return nil }
            state.ended = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: outcome)
    }
}
