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

/// The B operand of many products packed once into the GEMM's panel layout, so that each
/// product skips the packing (a recurrent layer's W_hh, used at every step: packing it costs as
/// much as a one-row product with it).
///
/// op(B) is [K, N]; the layout depends on the instruction set and on A's form, fixed here.
struct PackedGemmOperand: Sendable {
    /// N, the columns of op(B) and of C.
    let n: Int
    /// K, the rows of op(B).
    let k: Int
    let transposeA: Transpose
    let instructionSet: Int32
    let panels: FloatBuffer

    /// Packs op(B) ([K, N], `b` with row stride `ldb`) for products with op(A) in form `transposeA`.
    init(_ transposeB: Transpose, n N: Int, k K: Int, b: UnsafePointer<Float>, ldb: Int,
         transposeA: Transpose = .none, instructionSet isa: Int32 = ckernels_isa()) {
        let ta: Int32 = transposeA == .none ? 0 : 1
        n = N
        k = K
        self.transposeA = transposeA
        instructionSet = isa
        panels = FloatBuffer(uninitialized: Int(ckernels_sgemm_packed_size(isa, ta, Int64(N), Int64(K))))
        ckernels_sgemm_pack_b(isa, ta, transposeB == .none ? 0 : 1, Int64(N), Int64(K), b, Int64(ldb), panels.base)
    }
}

/// C = op(A)·B, or C += op(A)·B when `accumulate`, with B packed beforehand: bit-identical to
/// `gemm` with B untransposed. op(A) is [M, K] in the form the operand was packed for. Large
/// products split the rows of C over the thread budget, by blocks of whole register tiles.
func gemm(m M: Int, a: UnsafePointer<Float>, lda: Int, packed b: PackedGemmOperand,
          c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    let N = b.n, K = b.k, isa = b.instructionSet
    let ta: Int32 = b.transposeA == .none ? 0 : 1
    let acc: Int32 = accumulate ? 1 : 0
    let threads = M * N * K >= gemmParallelThreshold ? Parallel.currentBudget : 1
    let tiles = (M + 5) / 6
    let shards = min(threads, tiles)
    guard shards > 1 else {
        ckernels_sgemm_packed_isa(isa, ta, Int64(M), Int64(N), Int64(K), a, Int64(lda), b.panels.base, c, Int64(ldc), acc)
        return
    }
    Parallel.forEachShard(shards) { shard in
        let first = tiles * shard / shards * 6
        let end = shard == shards - 1 ? M : tiles * (shard + 1) / shards * 6
        let aStart = b.transposeA == .none ? a + first * lda : a + first
        ckernels_sgemm_packed_isa(isa, ta, Int64(end - first), Int64(N), Int64(K), aStart, Int64(lda),
                                  b.panels.base, c + first * ldc, Int64(ldc), acc)
    }
}
