import Foundation

/// Trains a `Network` on an encoded corpus: minibatches grouped by length, each cut into shards
/// that run forward and backward on copies of the network in parallel, their gradients summed
/// in shard order (in parallel over parts of each tensor, and over groups of embedding rows),
/// then clipped and applied.
///
/// The shard count and boundaries depend only on the batch, never on `options.threads`, and
/// every random draw (batch order, dropout masks) comes from generators seeded by the seed, the
/// epoch, the batch and the shard. So the same data, options and seed give the same model,
/// bit for bit, for any thread count.
public struct Trainer {
    /// The number of shards a batch of `rows` rows is cut into: one per 16 rows, at least 4 (one
    /// per row below 4 rows). It depends on the batch alone, so the result does not depend on
    /// the threads; 4 shards of a batch of 64 keep up to 4 threads busy while each shard's
    /// products stay large enough to run at full speed.
    public static func shardCount(rows: Int) -> Int {
        max(min(rows, 4), rows / 16)
    }

    /// The network being trained; after ``train(on:valid:control:progress:)``, the kept epoch's weights.
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
    ///
    /// `control` may resume from a checkpoint, save one at every epoch end, and stop the run at
    /// a batch boundary (a `StopRequest`, or the current Swift task being cancelled): then the
    /// state is saved and `CancellationError` thrown. A resumed run ends exactly as an
    /// uninterrupted one would.
    /// - Parameters:
    ///   - train: the training examples, labels as indices into the objective's labels.
    ///   - valid: validation examples, or nil.
    ///   - control: checkpointing and stopping; none by default.
    ///   - progress: called after every batch and every epoch, on the calling thread.
    /// - Returns: the per-epoch history and the kept epoch.
    /// - Throws: ``TrainingError/diverged(epoch:batch:)`` when a batch's loss is not finite;
    ///   `CancellationError` when stopped; what `control.save` throws.
    public mutating func train(on train: EncodedDataset, valid: EncodedDataset?, control: TrainingControl = TrainingControl(),
                               progress: (TrainingEvent) -> Void = { _ in }) throws -> Outcome {
        try Parallel.withThreads(options.threads) {
            try runEpochs(on: train, valid: valid, control: control, progress: progress)
        }
    }

    private mutating func runEpochs(on train: EncodedDataset, valid: EncodedDataset?, control: TrainingControl,
                                    progress: (TrainingEvent) -> Void) throws -> Outcome {
        let updater = ParameterUpdater(options: options)
        let embeddingGradients = options.freezeEmbeddings ? nil
            : EmbeddingGradientGroups(vocabularySize: network.embedding.vocabularySize, dimension: network.embedding.dimension)
        let lengths = (0..<train.count).map(train.length(of:))
        let batchesPerEpoch = (train.count + options.batchSize - 1) / options.batchSize
        let totalSteps = max(1, batchesPerEpoch * options.epochs)
        var state = TrainingProgress()
        var best: Network?
        if let checkpoint = control.resume {
            let saved = checkpoint.progress
            guard saved.epoch >= 1, (0...batchesPerEpoch).contains(saved.batchesDone), saved.step >= 0, saved.seen >= 0,
                  (saved.bestLoss == nil) == (saved.bestEpoch == nil), (saved.bestEpoch == nil) == (checkpoint.best == nil)
            else {
                throw CheckpointError.unusable("checkpoint", reason: "its position in the data does not fit this corpus")
            }
            try restore(checkpoint, updater: updater, best: &best)
            state = checkpoint.progress
        }
        var batchesThisRun = 0
        func checkpoint() -> TrainingCheckpoint {
            TrainingCheckpoint(fingerprint: control.fingerprint, progress: state, network: network.tensors,
                               best: best?.tensors, optimizer: updater.snapshot())
        }

        while state.epoch <= options.epochs && !state.stoppedEarly {
            let epoch = state.epoch
            let started = Date()
            var planGenerator = SeededGenerator(seed: mix(options.seed, UInt64(epoch), 0))
            let plan = BatchPlan.batches(lengths: lengths, batchSize: options.batchSize, using: &planGenerator)
            for batchIndex in state.batchesDone..<plan.count {
                if control.stop?.isRequested == true || Task.isCancelled
                    || control.stopAfterBatches.map({ batchesThisRun >= $0 }) == true {
                    try control.save?(checkpoint())
                    throw CancellationError()
                }
                let indices = plan[batchIndex]
                let learningRate = options.learningRate(step: state.step, totalSteps: totalSteps)
                let (loss, batchCorrect) = Parallel.withThreads(stepThreads) {
                    trainStep(train, rows: indices, learningRate: learningRate, updater: updater,
                              embeddingGradients: embeddingGradients,
                              seed: mix(options.seed, UInt64(epoch), UInt64(batchIndex + 1)))
                }
                guard loss.isFinite else { throw TrainingError.diverged(epoch: epoch, batch: batchIndex + 1) }
                state.step += 1
                state.batchesDone = batchIndex + 1
                state.lossSum += loss * Double(indices.count)
                state.correct += batchCorrect
                state.seen += indices.count
                state.tokens += indices.reduce(0) { $0 + train.length(of: $1) }
                batchesThisRun += 1
                let elapsed = max(Date().timeIntervalSince(started), 1e-9)
                progress(.batch(epoch: epoch, batch: batchIndex + 1, batches: plan.count,
                                runningLoss: state.lossSum / Double(state.seen), tokensPerSecond: Double(state.tokens) / elapsed))
            }
            let seconds = max(Date().timeIntervalSince(started), 1e-9)
            var summary = EpochSummary(epoch: epoch, trainLoss: state.lossSum / Double(max(state.seen, 1)),
                                       trainAccuracy: Double(state.correct) / Double(max(state.seen, 1)))
            if let valid {
                let result = measure(valid)
                summary.validLoss = result.loss
                summary.validAccuracy = result.accuracy
            }
            state.history.append(summary)
            progress(.epoch(summary, seconds: seconds, tokensPerSecond: Double(state.tokens) / seconds))

            if let validLoss = summary.validLoss {
                if state.bestLoss == nil || validLoss < state.bestLoss! {
                    (state.bestLoss, state.bestEpoch, best) = (validLoss, epoch, network)
                    state.epochsWithoutImprovement = 0
                } else {
                    state.epochsWithoutImprovement += 1
                    if let patience = options.earlyStopping, state.epochsWithoutImprovement >= patience {
                        state.stoppedEarly = true
                    }
                }
            }
            (state.epoch, state.batchesDone, state.lossSum, state.correct, state.seen, state.tokens) = (epoch + 1, 0, 0, 0, 0, 0)
            try control.save?(checkpoint())
        }
        if let best, let bestEpoch = state.bestEpoch {
            network = best
            return Outcome(history: state.history, keptEpoch: bestEpoch)
        }
        return Outcome(history: state.history, keptEpoch: state.history.count)
    }

    /// Takes the weights, the best epoch's weights and the optimizer state from `checkpoint`.
    private mutating func restore(_ checkpoint: TrainingCheckpoint, updater: ParameterUpdater, best: inout Network?) throws {
        let shape = (configuration: network.configuration,
                     vocabularySize: network.embedding.vocabularySize - network.configuration.hashedRowCount,
                     labelCount: objective.labelCount)
        do {
            network = try Network(configuration: shape.configuration, vocabularySize: shape.vocabularySize,
                                  labelCount: shape.labelCount, tensors: checkpoint.network)
            best = try checkpoint.best.map {
                try Network(configuration: shape.configuration, vocabularySize: shape.vocabularySize,
                            labelCount: shape.labelCount, tensors: $0)
            }
        } catch {
            throw CheckpointError.unusable("checkpoint", reason: error.localizedDescription)
        }
        try updater.restore(checkpoint.optimizer, network: network)
    }

    /// The threads one step runs on. A step of a pool model without hashed rows (n-grams,
    /// subwords) is a few hundred microseconds of row gathers and scatters, less than handing
    /// its shards to a second thread and back costs: 4 epochs of manpages_langid
    /// (`--level space`, dim 64) took 4.55 s on 2 threads with parallel steps, 3.37 s with serial
    /// ones, 3.45 s on 1 thread. With bigrams the parallel steps were about 10% faster, and
    /// every neural step is far larger. Either way the shards, and so the model, are the same.
    private var stepThreads: Int {
        let configuration = network.configuration
        return configuration.arch == .pool && configuration.hashedRowCount == 0 ? 1 : options.threads
    }

    /// One optimizer step on the examples `rows` of `dataset`; returns its mean loss and how
    /// many rows it got right.
    private mutating func trainStep(_ dataset: EncodedDataset, rows: [Int], learningRate: Float, updater: ParameterUpdater,
                                    embeddingGradients: EmbeddingGradientGroups?, seed: UInt64) -> (loss: Double, correct: Int) {
        // The shards' copies of the network are gone when this returns, so the update below
        // changes the embedding table in place instead of copying it.
        let result = accumulateGradients(dataset, rows: rows, seed: seed, embeddingGradients: embeddingGradients)
        if options.clip > 0 {
            clipGradients(maxNorm: Float(options.clip), embeddingGradients: embeddingGradients,
                          embeddingSumsOfSquares: result.embeddingSumsOfSquares)
        }
        updater.step(&network, embeddingGradients: embeddingGradients?.groups, learningRate: learningRate)
        network.zeroGradients()
        return (result.loss, result.correct)
    }

    /// Runs forward and backward on every shard of the batch and sums the shards' gradients in
    /// shard order: the dense ones into the network's (which are zero), the embedding's into
    /// `embeddingGradients` (nil when the embedding is frozen), whose groups' sums of squares
    /// come back with the loss and the rows predicted right.
    private mutating func accumulateGradients(_ dataset: EncodedDataset, rows: [Int], seed: UInt64,
                                              embeddingGradients: EmbeddingGradientGroups?)
        -> (loss: Double, correct: Int, embeddingSumsOfSquares: [Double]) {
        let ranges = shardRanges(rows.count)
        let master = network
        let minimumLength = master.encoder.minimumLength
        let labels = rows.map(dataset.labels(of:))
        // Forward on every shard (each pads its own rows), then one loss over the whole batch,
        // so the mean and the class weights' normalisation are exactly those of the full batch.
        let objective = self.objective
        let forwards = Parallel.mapShards(ranges.count) { shard in
            var generator = SeededGenerator(seed: mix(seed, UInt64(shard), 1))
            let part = PaddedBatch(dataset, indices: rows[ranges[shard]], minimumLength: minimumLength)
            let forward = master.forward(ids: part.ids, bags: part.bags, lengths: part.lengths, maxLength: part.maxLength,
                                         training: true, generator: &generator)
            return (pass: forward, correct: objective.correctCount(logits: forward.logits, labels: Array(labels[ranges[shard]])))
        }
        let logits = concatenateRows(forwards.map(\.pass.logits))
        let result = objective.lossAndGradient(logits: logits, labels: labels)
        let correct = forwards.reduce(0) { $0 + $1.correct }
        func backward(_ shard: Int, embeddingGradient: UnsafeMutablePointer<SparseRowGradient>?) -> Network {
            var copy = master
            // The shard's own buffer goes in before and comes back out after, so the copy never
            // copies the embedding gradient on write.
            if let embeddingGradient {
                embeddingGradient.pointee.zero()
                swap(&copy.embedding.gradient, &embeddingGradient.pointee)
            }
            copy.backward(rowsOf(result.logitsGradient, ranges[shard]), forwards[shard].pass.cache,
                          updateEmbedding: embeddingGradient != nil)
            if let embeddingGradient { swap(&copy.embedding.gradient, &embeddingGradient.pointee) }
            return copy
        }
        let shards: [Network]
        var embeddingSumsOfSquares: [Double] = []
        if let embeddingGradients {
            shards = embeddingGradients.withShardGradients(ranges.count) { buffers in
                Parallel.mapShards(ranges.count) { backward($0, embeddingGradient: buffers.baseAddress! + $0) }
            }
            embeddingSumsOfSquares = embeddingGradients.reduce(shards: ranges.count)
        } else {
            shards = Parallel.mapShards(ranges.count) { backward($0, embeddingGradient: nil) }
        }
        let shardGradients = shards.map { shard in
            var shard = shard, gradients: [[Float]] = []
            shard.forEachParameter { _, _, _, gradient in gradients.append(gradient) }
            return gradients
        }
        var index = 0
        network.forEachParameter { _, _, _, gradient in
            sumInShardOrder(shardGradients.map { $0[index] }, into: &gradient)
            index += 1
        }
        return (result.loss, correct, embeddingSumsOfSquares)
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

    /// Logits of a batch in evaluation mode, its shards run in parallel: the classifier's
    /// inference pass (the same bits as `forward`, faster for recurrent and convolutional
    /// models), or `forward` for positions that are bags of rows.
    func predictLogits(_ batch: PaddedBatch) -> Matrix {
        let ranges = shardRanges(batch.count)
        let network = self.network
        return concatenateRows(Parallel.mapShards(ranges.count) { shard in
            let part = batch.rows(ranges[shard])
            guard part.bags != nil else {
                return network.inferenceLogits(ids: part.ids, lengths: part.lengths, maxLength: part.maxLength)
            }
            var unused = SeededGenerator(seed: 0)
            return network.forward(ids: part.ids, bags: part.bags, lengths: part.lengths, maxLength: part.maxLength,
                                   training: false, generator: &unused).logits
        })
    }

    private func shardRanges(_ rows: Int) -> [Range<Int>] {
        let shards = Self.shardCount(rows: rows)
        return (0..<shards).map { shard in (shard * rows / shards)..<((shard + 1) * rows / shards) }
    }

    private mutating func clipGradients(maxNorm: Float, embeddingGradients: EmbeddingGradientGroups?,
                                        embeddingSumsOfSquares: [Double]) {
        var clipping = GlobalNormClipping()
        network.forEachParameter { _, _, _, gradient in clipping.include(gradient) }
        for partial in embeddingSumsOfSquares { clipping.include(sumOfSquares: partial) }
        let factor = clipping.factor(maxNorm: maxNorm)
        guard factor < 1 else { return }
        network.forEachParameter { _, _, _, gradient in scaleGradient(&gradient, by: factor) }
        embeddingGradients?.scale(by: factor)
    }
}

/// `target[i] = parts[0][i] + parts[1][i] + …`, added in that order; slices of the index range
/// (fixed by the size alone) run in parallel, so the sums do not depend on the threads.
func sumInShardOrder(_ parts: [[Float]], into target: inout [Float]) {
    let sliceLength = 16_384
    let count = target.count
    precondition(parts.allSatisfy { $0.count == count }, "every part must have the target's size")
    guard count > 0, !parts.isEmpty else { return }
    withBaseAddresses(parts[...], []) { sources in
        target.withUnsafeMutableBufferPointer { target in
            let target = target.baseAddress!
            Parallel.forEachShard((count + sliceLength - 1) / sliceLength) { slice in
                let range = slice * sliceLength ..< min(count, (slice + 1) * sliceLength)
                for i in range { target[i] = sources[0][i] }
                for source in sources.dropFirst() {
                    for i in range { target[i] += source[i] }
                }
            }
        }
    }
}

/// Calls `body` with the base addresses of `arrays` (none empty), all valid during the call.
private func withBaseAddresses(_ arrays: ArraySlice<[Float]>, _ collected: [UnsafePointer<Float>],
                               _ body: ([UnsafePointer<Float>]) -> Void) {
    guard let first = arrays.first else { return body(collected) }
    first.withUnsafeBufferPointer { withBaseAddresses(arrays.dropFirst(), collected + [$0.baseAddress!], body) }
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
