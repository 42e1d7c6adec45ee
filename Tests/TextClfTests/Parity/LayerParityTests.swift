import Testing
@testable import TextClf

@Suite("PyTorch parity: layers")
struct LayerParityTests {
    @Test func linearMatchesPyTorch() throws {
        let f = try CoreFixture("linear")
        var layer = Linear(weight: f.matrix("weight"), bias: f.values("bias"))
        let (y, cache) = layer.forward(f.matrix("x"))
        f.expect(y.storage, "y")
        let dx = layer.backward(f.matrix("dy"), cache)
        f.expect(dx.storage, "dx")
        f.expect(layer.weightGrad.storage, "dweight")
        f.expect(layer.biasGrad, "dbias")
    }

    @Test func embeddingMatchesPyTorchAndSkipsPadding() throws {
        let f = try CoreFixture("embedding")
        var layer = Embedding(weight: f.matrix("weight"))
        let lengths = f.ints("lengths")
        let ids = f.ints("ids")
        let (y, cache) = layer.forward(ids: ids, lengths: lengths, maxLength: ids.count / lengths.count)
        f.expect(y.values.storage, "y")
        layer.backward(f.matrix("dy"), cache)
        f.expect(layer.gradient.dense(), "dweight")
        #expect(!layer.gradient.rows.contains(0))
        #expect(Set(layer.gradient.rows) == Set(ids.filter { $0 != 0 }))
    }

    private func pooled(_ name: String, forward: (SequenceBatch) -> (Matrix, (Matrix) -> Matrix)) throws {
        let f = try CoreFixture(name)
        let lengths = f.ints("lengths")
        let x = f.matrix("x")
        let batch = SequenceBatch(values: x, lengths: lengths, maxLength: x.rows / lengths.count)
        let (y, backward) = forward(batch)
        f.expect(y.storage, "y")
        f.expect(backward(f.matrix("dy")).storage, "dx")
    }

    @Test func meanPoolingMatchesPyTorch() throws {
        try pooled("pool_mean") { batch in
            let (y, cache) = MeanPooling().forward(batch)
            return (y, { MeanPooling().backward($0, cache) })
        }
    }

    @Test func maxPoolingMatchesPyTorch() throws {
        try pooled("pool_max") { batch in
            let (y, cache) = MaxPooling().forward(batch)
            return (y, { MaxPooling().backward($0, cache) })
        }
    }

    @Test func dropoutWithAGivenMaskMatchesPyTorch() throws {
        let f = try CoreFixture("dropout")
        let dropout = Dropout(probability: f.scalar("p"))
        let scale = 1 / (1 - dropout.probability)
        let cache = Dropout.Cache(factors: f.values("keep").map { $0 * scale })
        f.expect(dropout.apply(f.matrix("x"), cache).storage, "y")
        f.expect(dropout.backward(f.matrix("dy"), cache).storage, "dx")
    }

    @Test(arguments: Activation.allCases)
    func activationMatchesPyTorch(activation: Activation) throws {
        let f = try CoreFixture("activation_\(activation.rawValue)")
        let (y, cache) = activation.forward(f.matrix("x"))
        f.expect(y.storage, "y")
        f.expect(activation.backward(f.matrix("dy"), cache).storage, "dx")
    }

    @Test func softmaxMatchesPyTorch() throws {
        let f = try CoreFixture("activation_softmax")
        let (y, cache) = Softmax.forward(f.matrix("x"))
        f.expect(y.storage, "y")
        f.expect(Softmax.backward(f.matrix("dy"), cache).storage, "dx")
    }

    @Test func poolModelMatchesPyTorchEndToEnd() throws {
        let f = try CoreFixture("pool_model")
        var embedding = Embedding(weight: f.matrix("embedding.weight"))
        var fc = Linear(weight: f.matrix("fc.weight"), bias: f.values("fc.bias"))
        let lengths = f.ints("lengths"), ids = f.ints("ids")
        let (embedded, embeddingCache) = embedding.forward(ids: ids, lengths: lengths, maxLength: ids.count / lengths.count)
        let (pooled, poolCache) = MeanPooling().forward(embedded)
        let (logits, fcCache) = fc.forward(pooled)
        f.expect(logits.storage, "logits")
        let loss = softmaxCrossEntropy(logits: logits, targets: f.ints("targets"))
        f.expect([Float(loss.loss)], "loss")
        let dPooled = fc.backward(loss.logitsGradient, fcCache)
        embedding.backward(MeanPooling().backward(dPooled, poolCache), embeddingCache)
        f.expect(fc.weightGrad.storage, "dfc.weight")
        f.expect(fc.biasGrad, "dfc.bias")
        f.expect(embedding.gradient.dense(), "dembedding")
    }
}
