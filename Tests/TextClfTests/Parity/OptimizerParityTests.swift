import Testing
@testable import TextClf

@Suite("PyTorch parity: optimizers")
struct OptimizerParityTests {
    private func threeSteps<O: Optimizer>(_ name: String, _ optimizer: O) throws {
        let f = try CoreFixture("optim_\(name)")
        var parameter = f.values("param")
        var state = optimizer.makeState(count: parameter.count)
        let rate = f.scalar("lr")
        for step in 1...3 {
            optimizer.update(&parameter, gradient: f.values("grad\(step)"), state: &state, learningRate: rate)
            f.expect(parameter, "param\(step)")
        }
    }

    @Test func sgdMatchesPyTorch() throws {
        try threeSteps("sgd", SGD())
    }

    @Test func sgdWithMomentumMatchesPyTorch() throws {
        try threeSteps("sgd_momentum", SGD(momentum: 0.9))
    }

    @Test func sgdWithNesterovAndWeightDecayMatchesPyTorch() throws {
        try threeSteps("sgd_nesterov_decay", SGD(momentum: 0.8, nesterov: true, weightDecay: 0.01))
    }

    @Test func adamMatchesPyTorch() throws {
        try threeSteps("adam", Adam())
    }

    @Test func adamWithWeightDecayMatchesPyTorch() throws {
        try threeSteps("adam_decay", Adam(weightDecay: 0.1))
    }

    @Test func adamWWithDefaultsMatchesPyTorch() throws {
        try threeSteps("adamw", Adam.adamW())
    }

    @Test func adamWWithOtherHyperparametersMatchesPyTorch() throws {
        try threeSteps("adamw_decay", Adam.adamW(beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.5))
    }

    /// nn.Embedding(sparse=True, padding_idx=0) trained three steps: the embedding's backward
    /// feeds the sparse rule, which must touch exactly the rows PyTorch touches.
    private func sparseSteps(_ name: String, update: (inout [Float], SparseRowGradient, Float) -> Void) throws {
        let f = try CoreFixture("optim_\(name)")
        var embedding = Embedding(weight: f.matrix("weight"))
        let rate = f.scalar("lr")
        for step in 1...3 {
            let ids = f.ints("ids\(step)"), lengths = f.ints("lengths\(step)")
            embedding.gradient.zero()
            let (_, cache) = embedding.forward(ids: ids, lengths: lengths, maxLength: ids.count / lengths.count)
            embedding.backward(f.matrix("dy\(step)"), cache)
            update(&embedding.weight.storage, embedding.gradient, rate)
            f.expect(embedding.weight.storage, "weight\(step)")
        }
    }

    @Test func sparseAdamMatchesPyTorch() throws {
        let optimizer = SparseAdam()
        var state: AdamState?
        try sparseSteps("sparse_adam") { table, gradient, rate in
            if state == nil { state = optimizer.makeState(count: table.count) }
            optimizer.update(&table, gradient: gradient, state: &state!, learningRate: rate)
        }
    }

    @Test func sparseSGDMatchesPyTorch() throws {
        try sparseSteps("sparse_sgd") { table, gradient, rate in
            SparseSGD().update(&table, gradient: gradient, learningRate: rate)
        }
    }

    @Test(arguments: ["clip", "clip_inactive"])
    func globalNormClippingMatchesPyTorch(name: String) throws {
        let f = try CoreFixture("optim_\(name)")
        var a = f.values("grad_a"), b = f.values("grad_b")
        var clipping = GlobalNormClipping()
        clipping.include(a)
        clipping.include(b)
        f.expect([Float(clipping.norm)], "norm")
        let factor = clipping.factor(maxNorm: f.scalar("max_norm"))
        scaleGradient(&a, by: factor)
        scaleGradient(&b, by: factor)
        f.expect(a, "clipped_a")
        f.expect(b, "clipped_b")
    }
}
