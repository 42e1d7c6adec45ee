import Dispatch
import Foundation

/// The micro-batching queue and the server's own inference threads.
///
/// Requests put their texts in one bounded queue. Each of `threads` dedicated threads takes a
/// batch: the texts queued first, up to `maxBatch`, once the batch is full, its oldest text
/// has waited `maxDelay`, or no other request is on its way in (being read or parsed), since
/// waiting longer could then only add latency. The batch is classified on that thread, outside the event loops and
/// Swift's cooperative pool, and each row goes back to its own request. A batch holds texts of
/// one model only, so requests that arrived before a reload finish on the old model. The
/// threads also enforce the timeout: a request still queued when its time is up is answered
/// 503 (no timer per request, which would cost a dispatch wake-up per request).
final class InferenceQueue: @unchecked Sendable {
    struct Limits: Sendable {
        var threads: Int
        var maxBatch: Int
        /// Nanoseconds the first text of a batch may wait for more to join it.
        var maxDelay: UInt64
        /// Texts the queue holds at most; a request that does not fit is refused.
        var maxQueue: Int
        /// Nanoseconds a request may wait in the queue before it is answered 503.
        var timeout: UInt64
    }

    /// Part of a request's texts still waiting.
    private struct Piece {
        let job: ClassificationJob
        var range: Range<Int>
    }

    private let limits: Limits
    private let metrics: ServerMetrics
    // All state below is guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var pieces: [Piece] = []
    private var head = 0
    private var queuedTexts = 0
    /// Requests announced by `expect()` and not yet submitted or abandoned.
    private var arriving = 0
    private var stopping = false
    private var threads: [Thread] = []

    init(limits: Limits, metrics: ServerMetrics) {
        self.limits = limits
        self.metrics = metrics
    }

    /// Starts the inference threads.
    func start() {
        ClassifyText.keepFreedMemory()
        for index in 0..<limits.threads {
            let thread = Thread { [self] in work() }
            thread.name = "inference-\(index)"
            thread.stackSize = 8 << 20
            threads.append(thread)
            thread.start()
        }
    }

    /// Lets the threads finish what is queued, then end.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Announces a request whose texts are on their way: batches wait for it (up to `maxDelay`).
    /// Every call is followed by one `submit` or one `abandon`.
    func expect() {
        condition.lock()
        arriving += 1
        condition.unlock()
    }

    /// The announced request will not come (its body was bad, or the server drains).
    func abandon() {
        condition.lock()
        arriving -= 1
        condition.signal()
        condition.unlock()
    }

    /// Queues an announced request's texts.
    /// - Returns: false when the queue has no room for them (the job is left untouched).
    func submit(_ job: ClassificationJob) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arriving -= 1
        guard !stopping, queuedTexts + job.texts.count <= limits.maxQueue else { return false }
        pieces.append(Piece(job: job, range: 0..<job.texts.count))
        queuedTexts += job.texts.count
        metrics.queueChanged(texts: queuedTexts)
        condition.signal()
        return true
    }

    private func work() {
        while let batch = nextBatch() {
            var texts: [String] = []
            for piece in batch { texts += piece.job.texts[piece.range] }
            let rows = batch[0].job.model.probabilities(texts)
            var offset = 0
            for piece in batch {
                piece.job.deliver(rows[offset ..< offset + piece.range.count], for: piece.range)
                offset += piece.range.count
            }
            metrics.batchClassified(texts: texts.count)
        }
    }

    /// Waits for the next batch; nil when stopping and nothing is left.
    private func nextBatch() -> [Piece]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            while head == pieces.count {
                if stopping { return nil }
                condition.wait()
            }
            let now = DispatchTime.now().uptimeNanoseconds
            failExpiredHeads(now: now)
            if head == pieces.count { continue }
            // Let more texts join until the batch is full, its first text waited long enough,
            // or no request is on its way; wake up in time to fail that text's request if it
            // waits too long.
            let arrival = pieces[head].job.arrival
            let due = arrival + limits.maxDelay
            if queuedTexts < limits.maxBatch && now < due && arriving > 0 && !stopping {
                let wake = min(due, arrival + limits.timeout + 1)
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(wake - now) / 1e9))
                continue
            }
            let batch = takeBatch(now: now)
            if !batch.isEmpty { return batch }
        }
    }

    /// Answers 503 to the requests at the front of the queue that waited longer than the
    /// timeout. Checked whenever a thread looks for work, so a request waits at most the
    /// timeout plus the batch a busy thread is finishing.
    private func failExpiredHeads(now: UInt64) {
        while head < pieces.count {
            let job = pieces[head].job
            guard now > job.arrival + limits.timeout else { return }
            job.fail(.timedOut)
            dropHead(texts: pieces[head].range.count)
            metrics.queueChanged(texts: queuedTexts)
        }
    }

    /// Removes up to `maxBatch` texts of the first piece's model from the front of the queue,
    /// failing the requests that waited too long on the way. While fewer texts wait than the
    /// threads could take, each takes its share, so that one big request uses every thread.
    private func takeBatch(now: UInt64) -> [Piece] {
        let limit = min(limits.maxBatch, (queuedTexts + limits.threads - 1) / limits.threads)
        var batch: [Piece] = []
        var count = 0
        while head < pieces.count && count < limit {
            let piece = pieces[head]
            if now > piece.job.arrival + limits.timeout {
                piece.job.fail(.timedOut)
                dropHead(texts: piece.range.count)
                continue
            }
            if let first = batch.first, first.job.model !== piece.job.model { break }
            let taken = min(piece.range.count, limit - count)
            let range = piece.range.lowerBound ..< piece.range.lowerBound + taken
            batch.append(Piece(job: piece.job, range: range))
            count += taken
            if taken == piece.range.count {
                dropHead(texts: taken)
            } else {
                pieces[head].range = range.upperBound ..< piece.range.upperBound
                queuedTexts -= taken
            }
        }
        metrics.queueChanged(texts: queuedTexts)
        if head < pieces.count { condition.signal() }  // the rest is due too: wake another thread
        if head > 1024 && head * 2 > pieces.count {
            pieces.removeFirst(head)
            head = 0
        }
        return batch
    }

    private func dropHead(texts: Int) {
        head += 1
        queuedTexts -= texts
    }
}
