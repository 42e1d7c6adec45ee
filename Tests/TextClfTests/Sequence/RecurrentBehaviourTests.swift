import Testing
@testable import TextClf

@Suite("recurrent layers' behaviour")
struct RecurrentBehaviourTests {
    @Test func packedLayoutSortsLongestFirst() {
        let layout = PackedLayout(lengths: [2, 3], maxLength: 4)
        #expect(layout.counts == [2, 2, 1])
        #expect(layout.offsets == [0, 2, 4])
        #expect(layout.paddedRow == [4, 0, 5, 1, 6])
        // Reverse step 0 of sequence 1 (length 3) is its time 2; of sequence 0 (length 2), time 1.
        #expect(layout.reverseRow == [4, 3, 2, 1, 0])
    }

    @Test func paddedStepsNeitherReadNorWritten() {
        var generator = SeededGenerator(seed: 1)
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true, generator: &generator)
        let clean = SequenceTestData.batch(lengths: [3, 1], maxLength: 4, features: 3, seed: 2)
        var noisy = clean
        for r in [3, 5, 6, 7] {
            for d in 0..<3 { noisy.values[r, d] = 100 }
        }
        let (cleanOutput, _) = lstm.forward(clean)
        let (noisyOutput, _) = lstm.forward(noisy)
        #expect(cleanOutput.values == noisyOutput.values)
        #expect(SequenceTestData.paddedRows(cleanOutput.values, lengths: [3, 1], maxLength: 4).allSatisfy { $0 == 0 })
    }

    @Test func dropoutAppliesBetweenLayersInTrainingOnly() {
        var generator = SeededGenerator(seed: 1)
        let gru = GRU(inputSize: 3, hiddenSize: 4, layers: 2, dropout: 0.5, generator: &generator)
        let input = SequenceTestData.batch(lengths: [4, 2], maxLength: 4, features: 3, seed: 2)
        var masks = SeededGenerator(seed: 3)
        let (evaluation, _) = gru.forward(input)
        let (untrained, _) = gru.forward(input, training: false, generator: &masks)
        let (trained, cache) = gru.forward(input, training: true, generator: &masks)
        #expect(evaluation.values == untrained.values)
        #expect(trained.values != evaluation.values)
        #expect(cache.masks[0].isEmpty)
        #expect(cache.masks[1].allSatisfy { $0 == 0 || $0 == 2 })
        #expect(cache.masks[1].contains(0) && cache.masks[1].contains(2))
    }

    @Test func singleLayerDrawsNoDropoutMask() {
        var generator = SeededGenerator(seed: 1)
        let rnn = RNN(inputSize: 2, hiddenSize: 2, dropout: 0.5, generator: &generator)
        var masks = SeededGenerator(seed: 3)
        let before = masks
        _ = rnn.forward(SequenceTestData.batch(lengths: [2], maxLength: 2, features: 2, seed: 2), training: true, generator: &masks)
        #expect(masks.next() == { var copy = before; return copy.next() }())
    }

    @Test func parametersFollowPyTorchStateDictOrder() {
        var generator = SeededGenerator(seed: 1)
        var lstm = LSTM(inputSize: 5, hiddenSize: 3, layers: 2, bidirectional: true, generator: &generator)
        var listed: [(String, [Int])] = []
        lstm.forEachParameter { name, shape, _, _ in listed.append((name, shape)) }
        let expected: [(String, [Int])] = [
            ("weight_ih_l0", [12, 5]), ("weight_hh_l0", [12, 3]), ("bias_ih_l0", [12]), ("bias_hh_l0", [12]),
            ("weight_ih_l0_reverse", [12, 5]), ("weight_hh_l0_reverse", [12, 3]), ("bias_ih_l0_reverse", [12]), ("bias_hh_l0_reverse", [12]),
            ("weight_ih_l1", [12, 6]), ("weight_hh_l1", [12, 3]), ("bias_ih_l1", [12]), ("bias_hh_l1", [12]),
            ("weight_ih_l1_reverse", [12, 6]), ("weight_hh_l1_reverse", [12, 3]), ("bias_ih_l1_reverse", [12]), ("bias_hh_l1_reverse", [12]),
        ]
        #expect(listed.map(\.0) == expected.map(\.0))
        #expect(listed.map(\.1) == expected.map(\.1))
        let bound = 1 / Float(3).squareRoot()
        lstm.forEachParameter { _, _, value, _ in #expect(value.allSatisfy { abs($0) <= bound }) }
    }
}
