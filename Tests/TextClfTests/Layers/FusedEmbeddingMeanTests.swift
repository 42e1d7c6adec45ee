import Testing
@testable import TextClf

@Suite("embedding with mean pooling, fused")
struct FusedEmbeddingMeanTests {
    /// Dimensions that exercise every column block of the gather (32-wide, 8-wide, scalar).
    @Test(arguments: [5, 19, 45, 77, 128])
    func fusedPathEqualsSeparateLayersExactly(dimension: Int) {
        var rng = SeededGenerator(seed: 31)
        var separate = Embedding(vocabularySize: 40, dimension: dimension, generator: &rng)
        var fused = separate
        let lengths = [7, 1, 4, 7, 2], T = 7
        var ids = [Int](repeating: 0, count: lengths.count * T)
        for (b, length) in lengths.enumerated() {
            for t in 0..<length { ids[b * T + t] = Int(rng.next() % 40) }  // includes some padding ids
        }
        let dy = Matrix(rows: lengths.count, cols: dimension, storage: (0..<lengths.count * dimension).map { _ in rng.nextUniform(-1, 1) })

        let (sequence, embeddingCache) = separate.forward(ids: ids, lengths: lengths, maxLength: T)
        let (pooled, poolCache) = MeanPooling().forward(sequence)
        separate.backward(MeanPooling().backward(dy, poolCache), embeddingCache)

        let (fusedPooled, fusedCache) = fused.forwardMeanPooled(ids: ids, lengths: lengths, maxLength: T)
        fused.backwardMeanPooled(dy, fusedCache)

        #expect(fusedPooled == pooled)
        #expect(fused.gradient.dense() == separate.gradient.dense())
        #expect(Array(fused.gradient.rows) == Array(separate.gradient.rows))
    }

    @Test func fusedPathMatchesPyTorchPoolModel() throws {
        let f = try CoreFixture("pool_model")
        var embedding = Embedding(weight: f.matrix("embedding.weight"))
        var fc = Linear(weight: f.matrix("fc.weight"), bias: f.values("fc.bias"))
        let lengths = f.ints("lengths"), ids = f.ints("ids")
        let (pooled, cache) = embedding.forwardMeanPooled(ids: ids, lengths: lengths, maxLength: ids.count / lengths.count)
        let (logits, fcCache) = fc.forward(pooled)
        let loss = softmaxCrossEntropy(logits: logits, targets: f.ints("targets"))
        embedding.backwardMeanPooled(fc.backward(loss.logitsGradient, fcCache), cache)
        f.expect(logits.storage, "logits")
        f.expect(embedding.gradient.dense(), "dembedding")
    }
}
