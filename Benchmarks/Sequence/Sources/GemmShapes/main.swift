import Dispatch
import Foundation
@_spi(Internals) import TextClf

// The single-thread rate of each product an LSTM layer (B 64, T 64, D 64, H 128) runs, in the
// operand forms the layer could choose, to see which forms the GEMM packs cheaply.

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func measure(_ label: String, _ ta: Transpose, _ tb: Transpose, m: Int, n: Int, k: Int) {
    let lda = ta == .none ? k : m, ldb = tb == .none ? n : k
    let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
    var c = [Float](repeating: 0, count: m * n)
    // The fastest of the calls in half a second: other jobs on the machine only slow calls down.
    var fastest = Double.infinity
    let start = now()
    while now() - start < 0.5 {
        let before = now()
        gemm(ta, tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: &c, ldc: n, accumulate: true)
        fastest = min(fastest, now() - before)
    }
    let rate = Double(m * n * k) / fastest / 1e9
    print("\(label.padding(toLength: 44, withPad: " ", startingAt: 0)) [\(m)×\(k)]·[\(k)×\(n)] \(ta) \(tb): \(String(format: "%.1f", rate)) G MAC/s")
}

let layersOnly = CommandLine.arguments.contains("layers")
if !layersOnly {
measure("peak", .none, .none, m: 4096, n: 512, k: 128)
measure("input projection x·W_ihᵀ", .none, .transposed, m: 4096, n: 512, k: 64)
measure("input projection x·(W_ihᵀ copy)", .none, .none, m: 4096, n: 512, k: 64)
measure("step h·W_hhᵀ", .none, .transposed, m: 64, n: 512, k: 128)
measure("step h·(W_hhᵀ copy)", .none, .none, m: 64, n: 512, k: 128)
measure("step back dG·W_hh", .none, .none, m: 64, n: 128, k: 512)
measure("step back (W_hh copy)ᵀ form: W_hhᵀ·dGᵀ", .none, .transposed, m: 128, n: 64, k: 512)
measure("dW_ih = dGᵀ·x", .transposed, .none, m: 512, n: 64, k: 4096)
measure("dW_ihᵀ = xᵀ·dG", .transposed, .none, m: 64, n: 512, k: 4096)
measure("dW_hh = dGᵀ·h", .transposed, .none, m: 512, n: 128, k: 4096)
measure("dW_hhᵀ = hᵀ·dG", .transposed, .none, m: 128, n: 512, k: 4096)
measure("dx = dG·W_ih", .none, .none, m: 4096, n: 64, k: 512)
measure("dxᵀ form: W_ihᵀ·dGᵀ", .transposed, .transposed, m: 64, n: 4096, k: 512)
}

/// This thread's CPU seconds, steadier than the wall clock on a machine shared with other jobs.
func cpuTime() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

// The layer itself: forward and backward separately, as multiply-add rates per CPU second of
// the fastest of 20 calls.
func layerRates<Cell>(_ type: RecurrentStack<Cell>.Type) {
    var generator = SeededGenerator(seed: 1)
    var layer = RecurrentStack<Cell>(inputSize: 64, hiddenSize: 128, generator: &generator)
    var values = Matrix(rows: 64 * 64, cols: 64)
    for i in 0..<values.count { values.storage[i] = generator.nextUniform(-1, 1) }
    let input = SequenceBatch(values: values, lengths: [Int](repeating: 64, count: 64), maxLength: 64)
    let gates = layer.weights[0].inputWeight.rows / 128
    let macs = Double(64 * 64 * gates * 128 * (64 + 128))
    var forwardTime = Double.infinity, backwardTime = Double.infinity
    let iterations = 20
    let gradient = Matrix(rows: 64 * 64, cols: 128, storage: [Float](repeating: 0.01, count: 64 * 64 * 128))
    for _ in 0..<iterations {
        let t0 = cpuTime()
        let (_, cache) = layer.forward(input)
        let t1 = cpuTime()
        _ = layer.backward(gradient, cache)
        let t2 = cpuTime()
        forwardTime = min(forwardTime, t1 - t0)
        backwardTime = min(backwardTime, t2 - t1)
    }
    print("\(Cell.self): forward \(String(format: "%.1f", macs / forwardTime / 1e9)) G MAC/s (\(String(format: "%.1f", forwardTime * 1000)) ms), backward \(String(format: "%.1f", 2 * macs / backwardTime / 1e9)) G MAC/s (\(String(format: "%.1f", backwardTime * 1000)) ms)")
}
let only = CommandLine.arguments.dropFirst().filter { $0 != "layers" }
if only.isEmpty || only.contains("rnn") { layerRates(RNN.self) }
if only.isEmpty || only.contains("lstm") { layerRates(LSTM.self) }
if only.isEmpty || only.contains("gru") { layerRates(GRU.self) }
