import Testing
@testable import TextClf

/// `Sequential` and plain MSE against PyTorch (`make_dense_fixtures.py`).
@Suite("PyTorch parity: dense stack and MSE")
struct DenseParityTests {
    @Test func sequentialMatchesPyTorchSequentialAndItsStateDictNames() throws {
        let f = try CoreFixture("sequential_sigmoid")
        var stack = Sequential([
            .linear(Linear(weight: f.matrix("param.0.weight"), bias: f.values("param.0.bias"))),
            .activation(.sigmoid),
            .linear(Linear(weight: f.matrix("param.2.weight"), bias: f.values("param.2.bias"))),
        ])
        var stateDict: [String: Tensor] = [:]
        for (key, tensor) in f.file.tensors where key.hasPrefix("param.") { stateDict[String(key.dropFirst(6))] = tensor }
        try stack.loadParameters(from: stateDict)  // throws unless every name and shape is PyTorch's

        let pass = stack.forward(f.matrix("x"))
        f.expect(pass.output.storage, "y")
        f.expect(stack.backward(f.matrix("dy"), pass.cache).storage, "dx")
        stack.forEachParameter { name, _, _, gradient in f.expect(gradient, "grad." + name) }
    }

    @Test func meanSquaredErrorMatchesPyTorch() throws {
        let f = try CoreFixture("loss_mse_plain")
        let result = Losses.meanSquaredError(predictions: f.matrix("predictions"), targets: f.matrix("targets"))
        f.expect([Float(result.loss)], "loss")
        f.expect(result.logitsGradient.storage, "dpredictions")
    }
}
