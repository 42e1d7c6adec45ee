import CKernels
import FMAPeak
import Foundation
@_spi(Internals) import TextClf

// GEMM throughput on the model's shapes per kernel level against the core's FMA peak, and the time of one
// forward+backward step of the `pool` model, for 1 and 2 threads. Prints medians.

/// Wall-clock seconds.
func wallSeconds() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

/// This thread's CPU seconds: on a shared machine they leave out the time other processes hold
/// the core (not their cache pressure), as the FMA peak the products are compared with does.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Seconds per call of `body` on `clock`, one figure per sample; each sample runs enough calls
/// (doubled from 1 after a warm-up call) to last `sampleSeconds`.
func secondsPerCall(samples: Int, sampleSeconds: Double, clock: () -> Double, _ body: () -> Void) -> [Double] {
    body()
    var calls = 1
    while true {
        let start = clock()
        for _ in 0..<calls { body() }
        if clock() - start > sampleSeconds { break }
        calls *= 2
    }
    return (0..<samples).map { _ in
        let start = clock()
        for _ in 0..<calls { body() }
        return (clock() - start) / Double(calls)
    }
}

/// Median wall seconds per call of `body`, over `samples` samples of ~20 ms.
func medianSeconds(samples: Int = 15, _ body: () -> Void) -> Double {
    secondsPerCall(samples: samples, sampleSeconds: 0.02, clock: wallSeconds, body).sorted()[samples / 2]
}

/// The least thread CPU time per call of `body` over 30 samples of ~2 ms.
func minimumThreadCPUSeconds(_ body: () -> Void) -> Double {
    secondsPerCall(samples: 30, sampleSeconds: 0.002, clock: threadCPUSeconds, body).min()!
}

/// The median thread CPU time per call of `body` over `samples` samples of ~5 ms.
func medianThreadCPUSeconds(samples: Int = 15, _ body: () -> Void) -> Double {
    secondsPerCall(samples: samples, sampleSeconds: 0.005, clock: threadCPUSeconds, body).sorted()[samples / 2]
}

/// The kernel levels this CPU has with a vector unit, and their names.
let vectorLevels: [(isa: Int32, name: String)] = [(Int32(CKERNELS_ISA_AVX2), "avx2"), (Int32(CKERNELS_ISA_AVX512), "avx512")]
    .filter { $0.isa <= ckernels_isa_supported() }

/// One core's FMA peak per level, the median of 5 runs of 12 independent FMA chains.
func measuredPeaks() -> [Int32: Double] {
    var peaks: [Int32: Double] = [:]
    for (isa, _) in vectorLevels {
        let runs = (0..<5).map { _ in fma_peak_gflops(isa, 20_000_000) }
        peaks[isa] = runs.sorted()[2]
    }
    return peaks
}

/// GEMM on the model's shapes, per kernel level: 1 thread in thread CPU time against that
/// level's FMA peak and the widest level's, measured in the same run; then 2 threads in wall
/// time (only products above `gemmParallelThreshold` split).
func benchmarkGemm(threadCounts: [Int]) {
    let peaks = measuredPeaks()
    guard let widest = vectorLevels.last else {
        print("GEMM: no AVX2+FMA on this CPU, nothing to compare with a peak")
        return
    }
    print("GEMM. One core's FMA peak (median of 5, thread CPU time): "
          + vectorLevels.map { String(format: "%@ %.1f GFLOP/s", $0.name, peaks[$0.isa]!) }.joined(separator: ", "))
    print("shape                form   level    1 thread GFLOP/s  % level peak  % \(widest.name) peak   2 threads GFLOP/s")
    var rng = SeededGenerator(seed: 1)
    // Forward input and recurrent products of a batch of 64 (dim 64, hidden 128, four LSTM
    // gates = 512 columns), a whole sequence's input products (2048 = 64 × 32 rows), and the logits.
    for (m, k, n) in [(64, 128, 512), (64, 64, 512), (64, 64, 128), (2048, 64, 128), (2048, 64, 512), (64, 512, 4)] {
        // The same values serve every form: only the stored layout and leading dimensions change.
        let a = (0..<m * k).map { _ in rng.nextUniform(-1, 1) }
        let b = (0..<k * n).map { _ in rng.nextUniform(-1, 1) }
        var c = [Float](repeating: 0, count: m * n)
        for (form, ta, tb) in [("A·B", Transpose.none, Transpose.none), ("A·Bᵀ", .none, .transposed), ("Aᵀ·B", .transposed, .none)] {
            let lda = ta == .none ? k : m, ldb = tb == .none ? n : k
            for (isa, name) in vectorLevels {
                let product = {
                    c.withUnsafeMutableBufferPointer { out in
                        gemm(ta, tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: out.baseAddress!, ldc: n,
                             accumulate: false, instructionSet: isa)
                    }
                }
                let single = 2 * Double(m * n * k) / Parallel.withThreads(1) { medianThreadCPUSeconds(product) } / 1e9
                let parallel = threadCounts.filter { $0 > 1 }.map { threads in
                    2 * Double(m * n * k) / Parallel.withThreads(threads) { medianSeconds(product) } / 1e9
                }
                let shape = "\(m)×\(k)·\(k)×\(n)"
                print(shape.padding(toLength: 21, withPad: " ", startingAt: 0) + form.padding(toLength: 7, withPad: " ", startingAt: 0)
                      + name.padding(toLength: 7, withPad: " ", startingAt: 0)
                      + String(format: "%18.1f %12.0f%% %14.0f%%", single, 100 * single / peaks[isa]!, 100 * single / peaks[widest.isa]!)
                      + parallel.map { String(format: " %19.1f", $0) }.joined())
            }
        }
    }
}

/// One training step's forward and backward of Embedding → mean → Linear → softmax CE.
func benchmarkPoolStep(threadCounts: [Int]) {
    let B = 64, T = 64, D = 64, V = 50_000, C = 6
    var rng = SeededGenerator(seed: 2)
    var embedding = Embedding(vocabularySize: V, dimension: D, generator: &rng)
    var fc = Linear(inputSize: D, outputSize: C, generator: &rng)
    let ids = (0..<B * T).map { _ in 1 + Int(rng.next() % UInt64(V - 1)) }
    let lengths = [Int](repeating: T, count: B)
    let labels = (0..<B).map { _ in [Int32(rng.next() % UInt64(C))][...] }
    let objective = Objective(configuration: ClassifierConfiguration(arch: .pool), labelCount: C)
    print("\npool model forward+backward (B \(B), T \(T), D \(D), V \(V), C \(C))")
    for threads in threadCounts {
        Parallel.withThreads(threads) {
            let seconds = medianSeconds {
                embedding.gradient.zero()
                fc.weightGrad.zero()
                for j in fc.biasGrad.indices { fc.biasGrad[j] = 0 }
                let (embedded, embeddingCache) = embedding.forward(ids: ids, lengths: lengths, maxLength: T)
                let (pooled, poolCache) = MeanPooling().forward(embedded)
                let (logits, fcCache) = fc.forward(pooled)
                let loss = objective.lossAndGradient(logits: logits, labels: labels)
                let dPooled = fc.backward(loss.logitsGradient, fcCache)
                embedding.backward(MeanPooling().backward(dPooled, poolCache), embeddingCache)
            }
            let fusedStep = {
                embedding.gradient.zero()
                fc.weightGrad.zero()
                for j in fc.biasGrad.indices { fc.biasGrad[j] = 0 }
                let (pooled, embeddingCache) = embedding.forwardMeanPooled(ids: ids, lengths: lengths, maxLength: T)
                let (logits, fcCache) = fc.forward(pooled)
                let loss = objective.lossAndGradient(logits: logits, labels: labels)
                embedding.backwardMeanPooled(fc.backward(loss.logitsGradient, fcCache), embeddingCache)
            }
            let fused = medianSeconds(fusedStep)
            if threads == 1 {
                print(String(format: "threads 1: least thread CPU time %.1f µs per step fused", minimumThreadCPUSeconds(fusedStep) * 1e6))
            }
            print(String(format: "threads %d: median %.1f µs per step as separate layers, %.1f µs fused (EmbeddingBag form)",
                         threads, seconds * 1e6, fused * 1e6))
        }
    }
}

/// The update that follows a pool step: SparseAdam on the 4096 embedding rows it touched (of a
/// 50 000 × 64 table) and Adam on a dense 512 × 128 weight.
func benchmarkOptimizers() {
    var rng = SeededGenerator(seed: 3)
    var embedding = Embedding(vocabularySize: 50_000, dimension: 64, generator: &rng)
    let ids = (0..<64 * 64).map { _ in 1 + Int(rng.next() % 49_999) }
    let (_, cache) = embedding.forwardMeanPooled(ids: ids, lengths: [Int](repeating: 64, count: 64), maxLength: 64)
    embedding.backwardMeanPooled(Matrix(rows: 64, cols: 64, storage: (0..<64 * 64).map { _ in rng.nextUniform(-1, 1) }), cache)
    var table = embedding.weight.storage
    var state = SparseAdam().makeState(count: table.count)
    let sparse = medianSeconds {
        SparseAdam().update(&table, gradient: embedding.gradient, state: &state, learningRate: 1e-3)
    }
    var layer = Linear(inputSize: 128, outputSize: 512, generator: &rng)
    for i in 0..<layer.weightGrad.count { layer.weightGrad.storage[i] = rng.nextUniform(-1, 1) }
    var adam = ParameterOptimizer(Adam())
    let dense = medianSeconds { adam.step(&layer, module: "fc", learningRate: 1e-3) }
    print("\noptimizer steps (1 thread)")
    print(String(format: "SparseAdam, %d rows × 64 of a 50000-row table: median %.1f µs", embedding.gradient.rowCount, sparse * 1e6))
    print(String(format: "Adam, 512×128 weight + 512 bias: median %.1f µs", dense * 1e6))
}

// `KernelBenchmarks gemm`, `pool`, `optim` or `int8` runs one part; no argument runs all.
let threadCounts = [1, 2]
let part = CommandLine.arguments.dropFirst().first
if part == nil || part == "gemm" { benchmarkGemm(threadCounts: threadCounts) }
if part == nil || part == "pool" { benchmarkPoolStep(threadCounts: threadCounts) }
if part == nil || part == "optim" { benchmarkOptimizers() }
if part == nil || part == "int8" { benchmarkInt8(threadCounts: threadCounts) }
