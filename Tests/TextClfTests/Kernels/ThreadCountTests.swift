import Testing
@testable import TextClf

/// The tests that change the process-wide `Parallel.threads`, in one serialized suite: no other
/// test changes it, so none of these ever runs at a thread count another test has just set
/// (every other test's results are the same for any thread count).
@Suite("results for any thread count", .serialized)
struct ThreadCountTests {
    @Test func gemmResultIsBitIdenticalForAnyThreadCount() {
        var rng = SeededGenerator(seed: 3)
        for (m, n, k) in [(600, 100, 141), (40, 1500, 141), (18, 36, 13_000), (3000, 4, 700)] {
            let a = (0..<m * k).map { _ in rng.nextUniform(-1, 1) }
            let b = (0..<k * n).map { _ in rng.nextUniform(-1, 1) }
            #expect(m * n * k >= gemmParallelThreshold)
            var results: [[Float]] = []
            let saved = Parallel.threads
            for threads in [1, 2, 3] {
                Parallel.threads = threads
                var c = [Float](repeating: 0, count: m * n)
                c.withUnsafeMutableBufferPointer {
                    gemm(.none, .none, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: $0.baseAddress!, ldc: n, accumulate: false)
                }
                results.append(c)
            }
            Parallel.threads = saved
            #expect(results[0] == results[1] && results[1] == results[2])
        }
    }

    @Test func shardedSumIsBitIdenticalForAnyThreadCount() {
        var rng = SeededGenerator(seed: 8)
        let values = (0..<100_003).map { _ in rng.nextUniform(-1, 1) * 1000 }
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        var sums: [Float] = []
        for threads in [1, 2, 3, 8] {
            Parallel.threads = threads
            let shards = 16
            let partial = Parallel.mapShards(shards) { shard in
                values[values.count * shard / shards ..< values.count * (shard + 1) / shards].reduce(0, +)
            }
            sums.append(partial.reduce(0, +))
        }
        #expect(sums.allSatisfy { $0.bitPattern == sums[0].bitPattern })
    }

    @Test func shardsRunOnceEachForAnyThreadCount() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        for threads in [1, 2, 5] {
            Parallel.threads = threads
            var hits = [Int](repeating: 0, count: 13)
            hits.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                Parallel.forEachShard(13) { base[$0] += 1 }
            }
            #expect(hits == [Int](repeating: 1, count: 13))
        }
    }
}
