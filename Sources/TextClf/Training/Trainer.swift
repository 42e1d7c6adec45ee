import Foundation

/// Trains a `Network` on an encoded corpus: minibatches grouped by length, each cut into a fixed
/// number of shards that run forward and backward on copies of the network in parallel, their
/// gradients summed in shard order, then clipped and applied.
///
/// The shard count and boundaries depend only on the batch, never on `options.threads`, and
/// every random draw (batch order, dropout masks) comes from generators seeded by the seed, the
/// epoch, the batch and the shard. So the same data, options and seed give the same model,
/// bit for bit, for any thread count.
public struct Trainer {
    /// Shards per batch. Two keeps each shard's products large enough to run at full speed on
    /// batches of 64, and lets two threads share the work.
    public static let shardCount = 2

    /// The network being trained; after ``train(on:valid:progress:)``, the kept epoch's weights.
    public var network: Network
    /// The loss and how outputs become probabilities.
    public let objective: Objective
    /// The optimizer, schedule, batching, stopping rule and thread budget.
    public let options: TrainingOptions

    /// A trainer of `network` under `objective` with `options`.
    public init(network: Network, objective: Objective, options: TrainingOptions) {
        self.network = network
        self.objective = objective
        self.options = options
    }

    /// The result of `train`: what each epoch measured and which epoch's weights were kept.
    public struct Outcome: Sendable {
        /// What each epoch measured, in order.
        public var history: [EpochSummary]
        /// The epoch (1-based) whose weights the network ends with.
        public var keptEpoch: Int
    }

    /// Runs the epochs. With `valid`, the network ends with the weights of the epoch of lowest
    /// validation loss (and early stopping applies); without, with the last epoch's.
    /// Runs on up to `options.threads` threads; the result does not depend on the count.
    /// - Parameters:
    ///   - train: the training examples, labels as indices into the objective's labels.
    ///   - valid: validation examples, or nil.
    ///   - progress: called after every batch and every epoch, on the calling thread.
    /// - Returns: the per-epoch history and the kept epoch.
    /// - Throws: ``TrainingError/diverged(epoch:batch:)`` when a batch's loss is not finite.
    public mutating func train(on train: EncodedDataset, valid: EncodedDataset?,
                               progress: (TrainingEvent) -> Void = { _ in }) throws -> Outcome {
        try Parallel.withThreads(options.threads) {
            try runEpochs(on: train, valid: valid, progress: progress)
        }
    }

    private mutating func runEpochs(on train: EncodedDataset, valid: EncodedDataset?,
                                    progress: (TrainingEvent) -> Void) throws -> Outcome {
        let updater = ParameterUpdater(options: options)
        let minimumLength = network.encoder.minimumLength
        let lengths = (0..<train.count).map(train.length(of:))
        let batchesPerEpoch = (train.count + options.batchSize - 1) / options.batchSize
        let totalSteps = max(1, batchesPerEpoch * options.epochs)
        var step = 0
        var history: [EpochSummary] = []
        var best: (loss: Double, epoch: Int, network: Network)?
        var epochsWithoutImprovement = 0

        for epoch in 1...options.epochs {
            let started = Date()
            var planGenerator = SeededGenerator(seed: mix(options.seed, UInt64(epoch), 0))
            let plan = BatchPlan.batches(lengths: lengths, batchSize: options.batchSize, using: &planGenerator)
            var lossSum = 0.0, correct = 0, seen = 0, tokens = 0
            for (batchIndex, indices) in plan.enumerated() {
                let batch = PaddedBatch(train, indices: indices, minimumLength: minimumLength)
                let labels = indices.map(train.labels(of:))
                let learningRate = options.learningRate(step: step, totalSteps: totalSteps)
                let (loss, batchCorrect) = trainStep(batch, labels: labels, learningRate: learningRate, updater: updater,
                                                     seed: mix(options.seed, UInt64(epoch), UInt64(batchIndex + 1)))
                guard loss.isFinite else { throw TrainingError.diverged(epoch: epoch, batch: batchIndex + 1) }
                step += 1
                lossSum += loss * Double(batch.count)
                correct += batchCorrect
                seen += batch.count
                tokens += batch.tokenCount
                let elapsed = max(Date().timeIntervalSince(started), 1e-9)
                progress(.batch(epoch: epoch, batch: batchIndex + 1, batches: plan.count,
                                runningLoss: lossSum / Double(seen), tokensPerSecond: Double(tokens) / elapsed))
            }
            let seconds = max(Date().timeIntervalSince(started), 1e-9)
            var summary = EpochSummary(epoch: epoch, trainLoss: lossSum / Double(max(seen, 1)),
                                       trainAccuracy: Double(correct) / Double(max(seen, 1)))
            if let valid {
                let result = measure(valid)
                summary.validLoss = result.loss
                summary.validAccuracy = result.accuracy
            }
            history.append(summary)
            progress(.epoch(summary, seconds: seconds, tokensPerSecond: Double(tokens) / seconds))

            if let validLoss = summary.validLoss {
                if best == nil || validLoss < best!.loss {
                    best = (validLoss, epoch, network)
                    epochsWithoutImprovement = 0
                } else {
                    epochsWithoutImprovement += 1
                    if let patience = options.earlyStopping, epochsWithoutImprovement >= patience { break }
                }
            }
        }
        if let best {
            network = best.network
            return Outcome(history: history, keptEpoch: best.epoch)
        }
        return Outcome(history: history, keptEpoch: history.count)
    }

    /// One optimizer step on `batch`; returns its mean loss and how many rows it got right.
    private mutating func trainStep(_ batch: PaddedBatch, labels: [ArraySlice<Int32>], learningRate: Float,
                                    updater: ParameterUpdater, seed: UInt64) -> (loss: Double, correct: Int) {
        let updateEmbedding = !options.freezeEmbeddings
        // The shards' copies of the network are gone when this returns, so the update below
        // changes the embedding table in place instead of copying it.
        let result = accumulateGradients(batch, labels: labels, seed: seed, updateEmbedding: updateEmbedding)
        if options.clip > 0 { clipGradients(maxNorm: Float(options.clip), includeEmbedding: updateEmbedding) }
        updater.step(&network, learningRate: learningRate, updateEmbedding: updateEmbedding)
        network.zeroGradients()
        return result
    }

    /// Runs forward and backward on every shard of `batch` and sums the shards' gradients into
    /// the network's (which are zero), in shard order.
    private mutating func accumulateGradients(_ batch: PaddedBatch, labels: [ArraySlice<Int32>], seed: UInt64,
                                              updateEmbedding: Bool) -> (loss: Double, correct: Int) {
        let ranges = shardRanges(batch.count)
        let master = network
        // Forward on every shard, then one loss over the whole batch, so the mean and the class
        // weights' normalisation are exactly those of the full batch.
        let forwards = Parallel.mapShards(ranges.count) { shard in
            var generator = SeededGenerator(seed: mix(seed, UInt64(shard), 1))
            let part = batch.rows(ranges[shard])
            return master.forward(ids: part.ids, lengths: part.lengths, maxLength: part.maxLength,
                                  training: true, generator: &generator)
        }
        let logits = concatenateRows(forwards.map(\.logits))
        let result = objective.lossAndGradient(logits: logits, labels: labels)
        let correct = objective.correctCount(logits: logits, labels: labels)
        let shards = Parallel.mapShards(ranges.count) { shard in
            var copy = master
            copy.backward(rowsOf(result.logitsGradient, ranges[shard]), forwards[shard].cache,
                          updateEmbedding: updateEmbedding)
            return copy
        }
        for var shard in shards {
            var gradients: [[Float]] = []
            shard.forEachParameter { _, _, _, gradient in gradients.append(gradient) }
            var index = 0
            network.forEachParameter { _, _, _, gradient in
                let source = gradients[index]
                for i in gradient.indices { gradient[i] += source[i] }
                index += 1
            }
            guard updateEmbedding else { continue }
            let sparse = shard.embedding.gradient
            Array(sparse.rows).withUnsafeBufferPointer { rows in
                Array(sparse.values).withUnsafeBufferPointer { values in
                    network.embedding.gradient.add(rows: rows, from: values.baseAddress!, stride: sparse.dimension)
                }
            }
        }
        return (result.loss, correct)
    }

    /// What ``evaluate(_:)`` measured.
    public struct Evaluation: Equatable, Sendable {
        /// The mean loss per example.
        public var loss: Double
        /// The share of examples predicted exactly right.
        public var accuracy: Double
    }

    /// Mean loss and accuracy of the network (dropout off) on `dataset`, on up to
    /// `options.threads` threads.
    public func evaluate(_ dataset: EncodedDataset) -> Evaluation {
        Parallel.withThreads(options.threads) { measure(dataset) }
    }

    private func measure(_ dataset: EncodedDataset) -> Evaluation {
        guard dataset.count > 0 else { return Evaluation(loss: 0, accuracy: 0) }
        let minimumLength = network.encoder.minimumLength
        var lossSum = 0.0, correct = 0
        for range in BatchPlan.sequential(count: dataset.count, batchSize: max(options.batchSize, 256)) {
            let batch = PaddedBatch(dataset, indices: range, minimumLength: minimumLength)
            let labels = range.map(dataset.labels(of:))
            let logits = predictLogits(batch)
            lossSum += objective.lossAndGradient(logits: logits, labels: labels).loss * Double(batch.count)
            correct += objective.correctCount(logits: logits, labels: labels)
        }
        return Evaluation(loss: lossSum / Double(dataset.count), accuracy: Double(correct) / Double(dataset.count))
    }

    /// Logits of a batch in evaluation mode, its shards run in parallel.
    func predictLogits(_ batch: PaddedBatch) -> Matrix {
        let ranges = shardRanges(batch.count)
        let network = self.network
        return concatenateRows(Parallel.mapShards(ranges.count) { shard in
            var unused = SeededGenerator(seed: 0)
            let part = batch.rows(ranges[shard])
            return network.forward(ids: part.ids, lengths: part.lengths, maxLength: part.maxLength,
                                   training: false, generator: &unused).logits
        })
    }

    private func shardRanges(_ rows: Int) -> [Range<Int>] {
        let shards = min(Self.shardCount, rows)
        return (0..<shards).map { shard in (shard * rows / shards)..<((shard + 1) * rows / shards) }
    }

    private mutating func clipGradients(maxNorm: Float, includeEmbedding: Bool) {
        var clipping = GlobalNormClipping()
        network.forEachParameter { _, _, _, gradient in clipping.include(gradient) }
        if includeEmbedding { clipping.include(network.embedding.gradient) }
        let factor = clipping.factor(maxNorm: maxNorm)
        guard factor < 1 else { return }
        network.forEachParameter { _, _, _, gradient in scaleGradient(&gradient, by: factor) }
        network.embedding.gradient.scale(by: factor)
    }
}

/// Stacks matrices of equal width vertically.
func concatenateRows(_ parts: [Matrix]) -> Matrix {
    guard parts.count > 1 else { return parts.first ?? Matrix(rows: 0, cols: 0) }
    return Matrix(rows: parts.reduce(0) { $0 + $1.rows }, cols: parts[0].cols, storage: parts.flatMap(\.storage))
}

/// Rows `range` of `matrix` as a matrix of their own.
func rowsOf(_ matrix: Matrix, _ range: Range<Int>) -> Matrix {
    Matrix(rows: range.count, cols: matrix.cols,
           storage: Array(matrix.storage[range.lowerBound * matrix.cols ..< range.upperBound * matrix.cols]))
}

/// A seed for one use, mixed from the run's seed and the use's coordinates (SplitMix64's
/// finaliser keeps nearby coordinates apart).
func mix(_ seed: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
    var generator = SeededGenerator(seed: seed ^ (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &* 0xC2B2_AE3D_27D4_EB4F))
    return generator.next()
}
