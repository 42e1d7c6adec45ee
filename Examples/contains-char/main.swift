// "Does the string contain 'a'?", the first tutorial's task, twice: with the layers written out
// (Embedding → mean pool → Linear → sigmoid, a training loop of ten lines), and through
// TrainingJob and Classifier, which do the tokenizing, batching and model file themselves.
//
//     swift run -c release --package-path Examples contains-char [--epochs 10] [--seed 1]
import Foundation
import ExampleSupport
import TextClf

let epochs = option("--epochs", 10), seed: UInt64 = option("--seed", 1)

// Six-letter strings over a–z, half of them holding an 'a'.
var data = try! DatasetGenerator(task: .contains, target: "a", alphabet: Array("abcdefghijklmnopqrstuvwxyz"),
                                lengths: 6...6, seed: seed)
let train = (0..<2000).map { _ in data.next() }, test = (0..<500).map { _ in data.next() }

// 1. The layers by hand. Token ids: 0 is padding, a–z are 1–26.
func ids(_ examples: [GeneratedExample]) -> [Int] {
    examples.flatMap { $0.text.unicodeScalars.map { Int($0.value) - 96 } }
}
func targets(_ examples: [GeneratedExample]) -> Matrix {
    Matrix(rows: examples.count, cols: 1, storage: examples.map { $0.label == "1" ? 1 : 0 })
}
var generator = SeededGenerator(seed: seed)
var embedding = Embedding(vocabularySize: 27, dimension: 8, generator: &generator)
var fc = Linear(inputSize: 8, outputSize: 1, generator: &generator)
var adam = ParameterOptimizer(Adam()), sparseAdam = SparseAdam(), tableState = sparseAdam.makeState(count: embedding.weight.count)
let pool = MeanPooling(), batchSize = 32, learningRate: Float = 0.01

for epoch in 1...epochs {
    var lossSum = 0.0
    for start in stride(from: 0, to: train.count, by: batchSize) {
        let batch = Array(train[start ..< min(start + batchSize, train.count)])
        let (vectors, embeddingCache) = embedding.forward(ids: ids(batch), lengths: batch.map { _ in 6 }, maxLength: 6)
        let (pooled, poolCache) = pool.forward(vectors)
        let (logits, fcCache) = fc.forward(pooled)
        let loss = Losses.sigmoidBinaryCrossEntropy(logits: logits, targets: targets(batch))
        embedding.backward(pool.backward(fc.backward(loss.logitsGradient, fcCache), poolCache), embeddingCache)
        adam.step(&fc, module: "fc", learningRate: learningRate)
        sparseAdam.update(&embedding.weight.storage, gradient: embedding.gradient, state: &tableState, learningRate: learningRate)
        fc.zeroGradients()
        embedding.gradient.zero()
        lossSum += loss.loss * Double(batch.count)
    }
    print(String(format: "layers  epoch %2d  train loss %.4f", epoch, lossSum / Double(train.count)))
}
let (testVectors, _) = embedding.forward(ids: ids(test), lengths: test.map { _ in 6 }, maxLength: 6)
let testLogits = fc.forward(pool.forward(testVectors).0).0
let handRight = test.indices.filter { (testLogits[$0, 0] > 0) == (test[$0].label == "1") }.count
let handAccuracy = Double(handRight) / Double(test.count)
print(String(format: "layers: test accuracy %.2f%%", handAccuracy * 100))

// 2. The same through TrainingJob and Classifier, from the same strings in memory.
func trainingJobAccuracy(train: [GeneratedExample], test: [GeneratedExample]) throws -> Double {
    let examples = train.enumerated().map { LabeledExample(text: $1.text, labels: [$1.label], line: $0 + 1) }
    var job = TrainingJob(train: .examples(examples), network: ClassifierConfiguration(arch: .pool, dim: 8),
                          options: try TrainingOptions(learningRate: 0.01, epochs: epochs, seed: seed))
    job.tokenizer = Tokenizer(level: .char)
    let classifier = try Classifier(file: try job.run().model, name: "contains-char")
    let predicted = classifier.predict(batch: test.map(\.text)).map { $0.first?.label }
    return Double(zip(predicted, test).filter { $0 == $1.label }.count) / Double(test.count)
}
let jobAccuracy = orExit("training through TrainingJob") { try trainingJobAccuracy(train: train, test: test) }
print(String(format: "TrainingJob + Classifier: test accuracy %.2f%%", jobAccuracy * 100))
