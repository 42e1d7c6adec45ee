import Testing
@testable import TextClf

@Suite("batching and datasets")
struct BatchPlanTests {
    @Test func everyExampleAppearsOnceAndBatchesAreLengthGrouped() {
        var rng = SeededGenerator(seed: 1)
        let lengths = (0..<1000).map { _ in 1 + rng.nextInt(below: 60) }
        var planRNG = SeededGenerator(seed: 9)
        let batches = BatchPlan.batches(lengths: lengths, batchSize: 16, using: &planRNG)
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<1000))
        #expect(batches.allSatisfy { $0.count <= 16 })
        // Grouping keeps the spread of lengths inside a batch far below the corpus spread (59).
        let spreads = batches.map { batch in batch.map { lengths[$0] }.max()! - batch.map { lengths[$0] }.min()! }
        #expect(Double(spreads.reduce(0, +)) / Double(spreads.count) < 5)
    }

    @Test func planIsReproducibleFromTheSeed() {
        let lengths = Array(repeating: 3, count: 100) + Array(repeating: 7, count: 100)
        var a = SeededGenerator(seed: 4), b = SeededGenerator(seed: 4), c = SeededGenerator(seed: 5)
        let first = BatchPlan.batches(lengths: lengths, batchSize: 8, using: &a)
        #expect(first == BatchPlan.batches(lengths: lengths, batchSize: 8, using: &b))
        #expect(first != BatchPlan.batches(lengths: lengths, batchSize: 8, using: &c))
    }

    @Test func splitHoldsOutTheFractionReproducibly() {
        var dataset = EncodedDataset()
        for i in 0..<200 { dataset.append(tokens: [Int32(i)], labels: [Int32(i % 2)]) }
        let (train, held) = dataset.split(holdingOut: 0.1, seed: 3)
        #expect(train.count == 180 && held.count == 20)
        let all = (train.tokenIDs + held.tokenIDs).sorted()
        #expect(all == (0..<200).map(Int32.init))
        #expect(dataset.split(holdingOut: 0.1, seed: 3).held.tokenIDs == held.tokenIDs)
    }
}
