import Testing
@_spi(Internals) @testable import TextClf

@Suite("optimizers, schedules and sparse gradients")
struct TrainingPiecesTests {
    /// Fits y = 2x − 1 with a Linear(1 → 1) and each optimizer: the loss must fall under 0.01.
    private func fitLine<O: Optimizer>(_ optimizer: O, learningRate: Float, steps: Int = 300) -> Double {
        var rng = SeededGenerator(seed: 7)
        var layer = Linear(inputSize: 1, outputSize: 1, generator: &rng)
        let xs: [Float] = (0..<16).map { Float($0) / 8 - 1 }
        let x = Matrix(rows: 16, cols: 1, storage: xs)
        var optimizer = ParameterOptimizer(optimizer)
        var loss = 0.0
        for _ in 0..<steps {
            layer.zeroGradients()
            let (y, cache) = layer.forward(x)
            var dy = Matrix(rows: 16, cols: 1)
            loss = 0
            for i in 0..<16 {
                let error = y[i, 0] - (2 * xs[i] - 1)
                loss += Double(error * error) / 16
                dy[i, 0] = 2 * error / 16
            }
            _ = layer.backward(dy, cache)
            optimizer.step(&layer, module: "fc", learningRate: learningRate)
        }
        #expect(Set(optimizer.states.keys) == ["fc.weight", "fc.bias"])
        return loss
    }

    @Test func backwardAccumulatesUntilGradientsAreZeroed() {
        var rng = SeededGenerator(seed: 9)
        var layer = Linear(inputSize: 3, outputSize: 2, generator: &rng)
        let x = Matrix(rows: 2, cols: 3, storage: [1, 2, 3, -1, 0.5, 2])
        let dy = Matrix(rows: 2, cols: 2, storage: [1, -1, 0.5, 2])
        let (_, cache) = layer.forward(x)
        _ = layer.backward(dy, cache)
        let once = layer.weightGrad.storage
        _ = layer.backward(dy, cache)
        #expect(layer.weightGrad.storage == once.map { 2 * $0 })
        layer.zeroGradients()
        #expect(layer.weightGrad.storage.allSatisfy { $0 == 0 } && layer.biasGrad.allSatisfy { $0 == 0 })
    }

    @Test func linearAcceptsAnEmptyBatch() {
        var rng = SeededGenerator(seed: 10)
        var layer = Linear(inputSize: 3, outputSize: 2, generator: &rng)
        let (y, cache) = layer.forward(Matrix(rows: 0, cols: 3))
        #expect(y.rows == 0 && y.cols == 2)
        #expect(layer.backward(Matrix(rows: 0, cols: 2), cache).rows == 0)
        #expect(layer.weightGrad.storage.allSatisfy { $0 == 0 })
    }

    @Test func everyOptimizerFitsALine() {
        #expect(fitLine(SGD(), learningRate: 0.3) < 0.01)
        #expect(fitLine(SGD(momentum: 0.9, nesterov: true), learningRate: 0.05) < 0.01)
        #expect(fitLine(Adam(), learningRate: 0.05) < 0.01)
        #expect(fitLine(Adam.adamW(), learningRate: 0.05) < 0.01)
    }

    @Test func sparseAdamLeavesUntouchedRowsAlone() {
        var table: [Float] = [0, 0, 1, 1, 2, 2, 3, 3]
        var gradient = SparseRowGradient(rowCount: 4, dimension: 2)
        let g: [Float] = [0.5, -0.5]
        g.withUnsafeBufferPointer { gradient.add(row: 2, $0.baseAddress!) }
        var state = SparseAdam().makeState(count: table.count)
        SparseAdam().update(&table, gradient: gradient, state: &state, learningRate: 0.1)
        #expect(Array(table[0..<4]) == [0, 0, 1, 1] && Array(table[6..<8]) == [3, 3])
        #expect(abs(table[4] - 1.9) < 1e-5 && abs(table[5] - 2.1) < 1e-5)
        #expect(state.firstMoment[0..<4].allSatisfy { $0 == 0 } && state.step == 1)
    }

    @Test func emptySparseGradientChangesNothingButTheStepCount() {
        var table: [Float] = [0, 0, 1, 1]
        let gradient = SparseRowGradient(rowCount: 2, dimension: 2)
        var state = SparseAdam().makeState(count: 4)
        SparseAdam().update(&table, gradient: gradient, state: &state, learningRate: 0.1)
        SparseSGD().update(&table, gradient: gradient, learningRate: 0.1)
        #expect(table == [0, 0, 1, 1] && state.step == 1)
    }

    @Test func sparseGradientSumsRepeatedRowsAndZeroesOnlyWhatItTouched() {
        var gradient = SparseRowGradient(rowCount: 5, dimension: 2)
        let a: [Float] = [1, 2], b: [Float] = [10, 20]
        a.withUnsafeBufferPointer { gradient.add(row: 3, $0.baseAddress!) }
        b.withUnsafeBufferPointer { gradient.add(row: 1, $0.baseAddress!) }
        a.withUnsafeBufferPointer { gradient.add(row: 3, $0.baseAddress!) }
        #expect(gradient.rows == [3, 1])
        #expect(gradient.dense() == [0, 0, 10, 20, 0, 0, 2, 4, 0, 0])
        gradient.zero()
        #expect(gradient.rows.isEmpty && gradient.dense().allSatisfy { $0 == 0 })
        b.withUnsafeBufferPointer { gradient.add(row: 3, $0.baseAddress!) }
        #expect(gradient.dense() == [0, 0, 0, 0, 0, 0, 10, 20, 0, 0])
    }

    @Test func aResidueClassGradientSumsItsRowsOfOtherGradientsInOrder() {
        var first = SparseRowGradient(rowCount: 7, dimension: 2), second = first
        let values: [[Float]] = [[1, 2], [3, 4], [0.1, -0.0], [5, 6]]
        values[0].withUnsafeBufferPointer { first.add(row: 6, $0.baseAddress!) }
        values[1].withUnsafeBufferPointer { first.add(row: 5, $0.baseAddress!) }
        values[2].withUnsafeBufferPointer { second.add(row: 3, $0.baseAddress!) }
        values[3].withUnsafeBufferPointer { second.add(row: 6, $0.baseAddress!) }
        var group = SparseRowGradient(rowCount: 7, dimension: 2, indexing: .hashed)
        group.addRows(of: first, residue: 0, modulus: 3)
        group.addRows(of: second, residue: 0, modulus: 3)
        #expect(group.rows == [6, 3])
        #expect(group.dense() == [0, 0, 0, 0, 0, 0, 0.1, -0.0, 0, 0, 0, 0, 6, 8])
        #expect(group.dense()[7].sign == .minus)  // a first occurrence is copied, as the kernel does
        group.zero()
        group.addRows(of: first, residue: 2, modulus: 3)
        #expect(group.rows == [5] && group.dense()[10...11] == [3, 4])
    }

    @Test func aHashIndexedGradientMatchesADenseOneThroughGrowthAndClearing() {
        let D = 3, V = 100_000
        var dense = SparseRowGradient(rowCount: V, dimension: D)
        var hashed = SparseRowGradient(rowCount: V, dimension: D, indexing: .hashed)
        var generator = SeededGenerator(seed: 9)
        for round in 0..<3 {
            // Enough distinct rows (with repeats and padding) that the hash table grows twice.
            let ids = (0..<3_000).map { _ in Int(generator.next() % UInt64(round == 1 ? 50 : V)) }
            let source = (0..<ids.count * D).map { _ in generator.nextUniform(-1, 1) }
            for (from, to) in [(0, 1_000), (1_000, 3_000)] {
                ids[from..<to].withUnsafeBufferPointer { ids in
                    source.withUnsafeBufferPointer { source in
                        dense.add(rows: ids, from: source.baseAddress! + from * D, stride: D)
                        hashed.add(rows: ids, from: source.baseAddress! + from * D, stride: D)
                    }
                }
            }
            #expect(hashed.rows == dense.rows && hashed.values == dense.values)
            dense.zero()
            hashed.zero()
            #expect(hashed.rowCount == 0 && hashed.dense().allSatisfy { $0 == 0 })
        }
    }

    @Test func clippingCountsAndScalesTheSparseEmbeddingGradient() {
        var sparse = SparseRowGradient(rowCount: 10, dimension: 2)
        let row: [Float] = [3, 0]
        row.withUnsafeBufferPointer { sparse.add(row: 7, $0.baseAddress!) }
        var dense: [Float] = [0, 4]
        var clipping = GlobalNormClipping()
        clipping.include(dense)
        clipping.include(sparse)
        #expect(clipping.norm == 5)
        let factor = clipping.factor(maxNorm: 1)
        scaleGradient(&dense, by: factor)
        sparse.scale(by: factor)
        #expect(abs(dense[1] - 0.8) < 1e-6 && abs(sparse.values[0] - 0.6) < 1e-6)
        #expect(GlobalNormClipping().factor(maxNorm: 1) == 1)
    }

    @Test func linearScheduleDecaysToZeroAndConstantStays() throws {
        let constant = try TrainingOptions(optimizer: .sgd, learningRate: 0.1)
        #expect(constant.learningRate(step: 50, totalSteps: 100) == 0.1)
        let options = try TrainingOptions(optimizer: .sgd, learningRate: 0.1, schedule: .linear)
        #expect(options.learningRate(step: 0, totalSteps: 100) == 0.1)
        #expect(abs(options.learningRate(step: 25, totalSteps: 100) - 0.075) < 1e-7)
        #expect(options.learningRate(step: 100, totalSteps: 100) == 0)
    }

    @Test func balancedWeightsFollowSamplesOverLabelsTimesCount() {
        let expected: [Float] = [12.0 / 18, 12.0 / 6, 12.0 / 12]
        #expect(balancedClassWeights(counts: [6, 2, 4]) == expected)
    }

    @Test func softmaxOfHugeLogitsStaysFinite() {
        let x = Matrix(rows: 1, cols: 3, storage: [1000, 999, -1000])
        let p = softmaxRows(x).storage
        #expect(abs(p[0] - 0.7310586) < 1e-6)
        #expect(abs(p[1] - 0.2689414) < 1e-6)
        #expect(p[2] < 1e-30)
        // The cross entropy is −log p, which the loss takes from the logits, not from p.
        #expect(abs(softmaxCrossEntropy(logits: x, targets: [0]).loss - 0.3132617) < 1e-5)
        #expect(abs(softmaxCrossEntropy(logits: x, targets: [2]).loss - 2000.3132617) < 1e-2)
    }

    @Test func shardedSumIsBitIdenticalForAnyThreadCount() {
        var rng = SeededGenerator(seed: 8)
        let values = (0..<100_003).map { _ in rng.nextUniform(-1, 1) * 1000 }
        var sums: [Float] = []
        for threads in [1, 2, 3, 8] {
            let shards = 16
            let partial = Parallel.withThreads(threads) {
                Parallel.mapShards(shards) { shard in
                    values[values.count * shard / shards ..< values.count * (shard + 1) / shards].reduce(0, +)
                }
            }
            sums.append(partial.reduce(0, +))
        }
        #expect(sums.allSatisfy { $0.bitPattern == sums[0].bitPattern })
    }

    @Test func threadBudgetHoldsOnlyInsideItsScope() {
        #expect(Parallel.currentBudget == 1)
        Parallel.withThreads(3) {
            #expect(Parallel.currentBudget == 3)
            Parallel.withThreads(0) { #expect(Parallel.currentBudget == 1) }
            #expect(Parallel.currentBudget == 3)
        }
        #expect(Parallel.currentBudget == 1)
    }

    @Test func shardsRunOnceEachForAnyThreadCount() {
        for threads in [1, 2, 5] {
            var hits = [Int](repeating: 0, count: 13)
            hits.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                Parallel.withThreads(threads) { Parallel.forEachShard(13) { base[$0] += 1 } }
            }
            #expect(hits == [Int](repeating: 1, count: 13))
        }
    }
}
