import Dispatch
import Foundation
@_spi(Internals) import TextClf

// Forward + backward throughput of Embedding → {RNN, LSTM, GRU, Conv1d bank} → pooling → Linear,
// on 1 and 2 threads, and the GEMM peak that bounds it. Prints one JSON object per line, which
// `compare.py` reads beside PyTorch's figures.
//
// Two threads work as the trainer does: the batch is cut into two fixed shards, each runs on its
// own copy of the model with single-threaded kernels, and the gradients are summed in shard order.

let shapes = Shapes()
let arguments = CommandLine.arguments.dropFirst()
let archs = arguments.compactMap(Arch.init(rawValue:)).isEmpty ? Arch.allCases : arguments.compactMap(Arch.init(rawValue:))
let seconds = Double(ProcessInfo.processInfo.environment["BENCH_SECONDS"] ?? "") ?? 3

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Runs `body` repeatedly for about `seconds` after two warm-up calls; returns calls per second
/// of the fastest call. The machine is shared, and other work only ever slows a call down, so
/// the fastest call is the steadiest measure of what the code can do (timeit's rule).
func rate(_ body: () -> Void) -> Double {
    body(); body()
    var calls = 0, fastest = Double.infinity
    let start = now()
    while now() - start < seconds || calls < 3 {
        let before = now()
        body()
        fastest = min(fastest, now() - before)
        calls += 1
    }
    return 1 / fastest
}

/// The measured single-thread GEMM rate in multiply-adds per second, on a product of the size the
/// encoders' largest products have ([4096, 128]·[128, 512]).
func gemmPeak() -> Double {
    let M = 4096, N = 512, K = 128
    var generator = SeededGenerator(seed: 1)
    let a = (0..<M * K).map { _ in generator.nextUniform(-1, 1) }
    let b = (0..<K * N).map { _ in generator.nextUniform(-1, 1) }
    var c = [Float](repeating: 0, count: M * N)
    let calls = rate {
        gemm(.none, .none, m: M, n: N, k: K, a: a, lda: K, b: b, ldb: N, c: &c, ldc: N, accumulate: false)
    }
    return calls * Double(M * N * K)
}

/// A fixed batch: every sequence full length, random ids and labels.
func batch(seed: UInt64) -> (ids: [Int], lengths: [Int], targets: [Int]) {
    var generator = SeededGenerator(seed: seed)
    let ids = (0..<shapes.batch * shapes.length).map { _ in 1 + Int(generator.next() % UInt64(shapes.vocabulary - 1)) }
    let targets = (0..<shapes.batch).map { _ in Int(generator.next() % UInt64(shapes.classes)) }
    return (ids, [Int](repeating: shapes.length, count: shapes.batch), targets)
}

/// The model copies, each touched by one thread only.
struct Disjoint: @unchecked Sendable {
    let base: UnsafeMutablePointer<Model>
}

let peak = gemmPeak()
print("{\"gemm_peak_macs_per_s\": \(peak)}")
let data = batch(seed: 2)
for arch in archs {
    for threads in [1, 2] {
        let model = Model(arch, shapes, seed: 3)
        let shard = shapes.batch / threads, T = shapes.length
        let steps = rate {
            var copies = [Model](repeating: model, count: threads)
            copies.withUnsafeMutableBufferPointer { copies in
                let models = Disjoint(base: copies.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: threads) { s in
                    let range = s * shard..<(s + 1) * shard
                    _ = models.base[s].step(ids: Array(data.ids[range.lowerBound * T..<range.upperBound * T]),
                                    lengths: Array(data.lengths[range]), maxLength: T, targets: Array(data.targets[range]))
                }
            }
            var total = copies[0]
            for s in 1..<threads { total.addGradients(of: &copies[s]) }
        }
        let macs = shapes.multiplyAddsPerToken(arch)
        let tokens = steps * Double(shapes.batch * shapes.length)
        let limit = peak * Double(threads) / Double(macs)
        print("{\"arch\": \"\(arch)\", \"threads\": \(threads), \"tokens_per_s\": \(tokens), \"macs_per_token\": \(macs), \"limit_tokens_per_s\": \(limit)}")
    }
}
