import Foundation
import Testing
@testable import TextClf

/// Training touches exactly the rows the examples' bags use: the tokens' rows, their subword
/// rows and the n-gram rows, and no other of the hashed rows.
@Suite("sparse updates of hashed rows")
struct SparseUpdateTests {
    @Test(arguments: [TrainingOptions.OptimizerKind.sgd, .adam])
    func trainingChangesOnlyTheRowsTheBagsUse(_ optimizer: TrainingOptions.OptimizerKind) throws {
        let texts = ["the cat sat", "a dog ran far", "cats sit", "the dog"]
        let examples = texts.enumerated().map {
            LabeledExample(text: $0.element, labels: [$0.offset % 2 == 0 ? "x" : "y"], line: $0.offset + 1)
        }
        let configuration = ClassifierConfiguration(arch: .pool, dim: 4, wordNgrams: 2, minn: 2, maxn: 3, buckets: 1000,
                                                    tokenizer: Tokenizer(level: .space))
        let options = try TrainingOptions(optimizer: optimizer, learningRate: 0.1, epochs: 2, batchSize: 3, seed: 5)
        var job = TrainingJob(train: .examples(examples), network: configuration, options: options)
        job.tokenizer = Tokenizer(level: .space)
        let result = try job.run()
        let classifier = try Classifier(file: result.model, name: "trained")
        let rows = try #require(classifier.hashedRows)

        var used = Set<Int>()
        let session = classifier.configuration.tokenizer.makeSession()
        for text in texts {
            var builder = HashedRows.Builder(rows)
            builder.encode(text, session: session, vocabulary: classifier.vocabulary, maxLength: 256)
            var dataset = EncodedDataset(hashedRows: rows)
            dataset.append(builder.example, labels: [Int32]())
            dataset.forEachBag(of: 0) { _, bag in used.formUnion(bag.map(Int.init)) }
        }
        var generator = SeededGenerator(seed: options.seed)
        let initial = Network(configuration: result.configuration, vocabularySize: result.vocabularySize,
                              labelCount: 2, generator: &generator).embedding.weight
        let trained = try #require(result.model.tensors["embedding.weight"]).values
        var changed = Set<Int>()
        for row in 0 ..< initial.rows where (0 ..< 4).contains(where: { initial[row, $0] != trained[row * 4 + $0] }) {
            changed.insert(row)
        }
        #expect(changed == used, "changed rows outside the bags: \(changed.subtracting(used).sorted()), unchanged bag rows: \(used.subtracting(changed).sorted())")
        #expect(used.contains { $0 >= result.vocabularySize }, "the bags use hashed rows")
    }
}
