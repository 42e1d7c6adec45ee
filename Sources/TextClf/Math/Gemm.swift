import CKernels

/// The matrix product every layer uses: C = op(A)·op(B), or C += op(A)·op(B) when `accumulate`.
///
/// Row-major operands with op(A): [M, K], op(B): [K, N], C: [M, N]; `lda`, `ldb`, `ldc` are the
/// row strides of the stored A, B and C (so a slice of a larger matrix can be used in place).
/// The three forms training needs are A·B (forward), A·Bᵀ (input gradient through a weight
/// stored [Out, In]) and Aᵀ·B (weight gradient).
///
/// The kernel packs panels and runs a register tile of 6 rows × 32 columns compiled for AVX-512
/// or 6 × 16 for AVX2+FMA (CKernels), chosen once per process by `ckernels_isa()`, with a
/// portable fallback. Products of at least `gemmParallelThreshold` multiply-adds are split over
/// the thread budget (`Parallel.currentBudget`) by blocks of C; each element of C is summed the same
/// way whatever the split, so the result does not depend on the thread count.
@_spi(Internals) public func gemm(
    _ transposeA: Transpose, _ transposeB: Transpose,
    m M: Int, n N: Int, k K: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool
) {
    gemm(transposeA, transposeB, m: M, n: N, k: K, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
         accumulate: accumulate, instructionSet: ckernels_isa())
}

/// `gemm` on the kernels of one instruction-set level (`CKERNELS_ISA_PORTABLE`, `…_AVX2`,
/// `…_AVX512`; a level the CPU lacks falls back to the widest it has), so that tests and
/// benchmarks can compare the levels in one process.
@_spi(Internals) public func gemm(
    _ transposeA: Transpose, _ transposeB: Transpose,
    m M: Int, n N: Int, k K: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool, instructionSet isa: Int32
) {
    let ta: Int32 = transposeA == .none ? 0 : 1
    let tb: Int32 = transposeB == .none ? 0 : 1
    let acc: Int32 = accumulate ? 1 : 0
    // Small products never read the budget: most calls are small (one per recurrent step).
    let threads = M * N * K >= gemmParallelThreshold ? Parallel.currentBudget : 1
    guard threads > 1 else {
        ckernels_sgemm_isa(isa, ta, tb, Int64(M), Int64(N), Int64(K), a, Int64(lda), b, Int64(ldb), c, Int64(ldc), acc)
        return
    }
    // Split the dimension that has more register tiles; block edges stay on tile boundaries
    // (32 columns: the AVX-512 tile, two AVX2 tiles), and a ragged last column tile joins its
    // neighbour, so no block is ever narrow enough (≤ 4 columns) to take the kernel's
    // dot-product path unless all of C is.
    let splitColumns = (N + 31) / 32 >= (M + 5) / 6
    let tile = splitColumns ? 32 : 6
    let tiles = splitColumns ? max(1, N / 32) : (M + 5) / 6
    let shards = min(threads, tiles)
    Parallel.forEachShard(shards) { shard in
        let first = tiles * shard / shards * tile
        let end = shard == shards - 1 ? (splitColumns ? N : M) : tiles * (shard + 1) / shards * tile
        if splitColumns {
            let bStart = transposeB == .none ? b + first : b + first * ldb
            ckernels_sgemm_isa(isa, ta, tb, Int64(M), Int64(end - first), Int64(K), a, Int64(lda),
                           bStart, Int64(ldb), c + first, Int64(ldc), acc)
        } else {
            let aStart = transposeA == .none ? a + first * lda : a + first
            ckernels_sgemm_isa(isa, ta, tb, Int64(end - first), Int64(N), Int64(K), aStart, Int64(lda),
                           b, Int64(ldb), c + first * ldc, Int64(ldc), acc)
        }
    }
}

/// Products smaller than this many multiply-adds (8.4 M) run on one thread: below it, waking a
/// second thread costs more than it saves (measured: 64×128·128×512, 4.2 M, is no faster on
/// two threads; 2048×64·64×128, 16.8 M, is).
let gemmParallelThreshold = 1 << 23
