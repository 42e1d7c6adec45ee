import Testing
@testable import TextClf

@Suite("PyTorch parity: losses")
struct LossParityTests {
    private func check(_ f: CoreFixture, _ result: LossResult) {
        f.expect([Float(result.loss)], "loss")
        f.expect(result.logitsGradient.storage, "dlogits")
    }

    @Test func crossEntropyMatchesPyTorch() throws {
        let f = try CoreFixture("loss_ce")
        check(f, softmaxCrossEntropy(logits: f.matrix("logits"), targets: f.ints("targets")))
    }

    @Test func weightedCrossEntropyDividesBySumOfWeights() throws {
        let f = try CoreFixture("loss_ce_weighted")
        check(f, softmaxCrossEntropy(logits: f.matrix("logits"), targets: f.ints("targets"), classWeights: f.values("class_weights")))
    }

    @Test func multiLabelBinaryCrossEntropyMatchesPyTorch() throws {
        let f = try CoreFixture("loss_bce_multilabel")
        check(f, sigmoidBinaryCrossEntropy(logits: f.matrix("logits"), targets: f.matrix("targets")))
    }

    @Test func weightedMultiLabelBinaryCrossEntropyMatchesPyTorch() throws {
        let f = try CoreFixture("loss_bce_multilabel_weighted")
        let targets = f.matrix("targets")
        let weights = elementWeights(classWeights: f.values("class_weights"), targets: targets)
        check(f, sigmoidBinaryCrossEntropy(logits: f.matrix("logits"), targets: targets, weights: weights))
    }

    @Test func oneOutputBinaryCrossEntropyMatchesPyTorch() throws {
        let f = try CoreFixture("loss_bce_binary")
        let targets = Matrix(rows: f.values("targets").count, cols: 1, storage: f.values("targets"))
        let logits = Matrix(rows: targets.rows, cols: 1, storage: f.values("logits"))
        check(f, sigmoidBinaryCrossEntropy(logits: logits, targets: targets))
    }

    @Test func weightedOneOutputBinaryCrossEntropyMatchesPyTorch() throws {
        let f = try CoreFixture("loss_bce_binary_weighted")
        let targets = Matrix(rows: f.values("targets").count, cols: 1, storage: f.values("targets"))
        let logits = Matrix(rows: targets.rows, cols: 1, storage: f.values("logits"))
        let weights = elementWeights(classWeights: f.values("class_weights"), targets: targets)
        check(f, sigmoidBinaryCrossEntropy(logits: logits, targets: targets, weights: weights))
    }

    @Test func sigmoidMeanSquaredErrorMatchesPyTorch() throws {
        let f = try CoreFixture("loss_mse")
        let logits = f.matrix("logits")
        check(f, sigmoidMeanSquaredError(logits: logits, targets: oneHot(f.ints("targets"), classes: logits.cols)))
    }

    @Test func weightedSigmoidMeanSquaredErrorMatchesPyTorch() throws {
        let f = try CoreFixture("loss_mse_weighted")
        let logits = f.matrix("logits"), labels = f.ints("targets")
        let targets = oneHot(labels, classes: logits.cols)
        let weights = elementWeights(classWeights: f.values("class_weights"), targets: targets, rowLabels: labels)
        check(f, sigmoidMeanSquaredError(logits: logits, targets: targets, weights: weights))
    }
}
