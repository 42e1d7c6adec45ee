import Foundation

/// The fine-tuning of `textclf quantize --retrain`: a model whose embedding is cut to its rows
/// of largest norm learns again, from its own weights, to do without the rows that went.
public enum Retraining {
    /// `file` with its embedding cut to `cutoff` rows (if given), then trained further on `train`
    /// with the optimizer, rate, schedule, batch size, clipping, class weights and seed its
    /// training record holds, for `epochs` epochs (nil: the recorded epochs). The result is a
    /// float model; ``Quantization/quantize(_:name:cutoff:)`` then makes it int8.
    ///
    /// Every epoch's weights count (there is no validation data); the configuration, and so the
    /// training record, stay those of the original training.
    /// - Parameters:
    ///   - file: a float model file with a training record.
    ///   - name: names the model in errors.
    ///   - cutoff: how many embedding rows to keep, or nil to keep those there are.
    ///   - train: the examples; their labels must be the model's.
    ///   - epochs: the epochs to train, or nil for the recorded number.
    ///   - threads: how many threads training may use; the result does not depend on it.
    ///   - progress: one line per finished epoch.
    /// - Returns: the fine-tuned float model.
    /// - Throws: ``ModelFileError``, ``QuantizationError`` as quantizing does; ``TrainingError``
    ///   when the model has no training record or diverges; `CorpusError` for bad examples or
    ///   a label the model does not know.
    public static func fineTune(_ file: ModelFile, name: String, cutoff: Int?, train: ExampleSource, epochs: Int?,
                                threads: Int, progress: (String) -> Void = { _ in }) throws -> ModelFile {
        let configuration = try file.validatedConfiguration(name: name)
        guard !file.isQuantized else { throw QuantizationError.alreadyQuantized(name) }
        guard let record = configuration.training,
              let optimizer = TrainingOptions.OptimizerKind(rawValue: record.optimizer),
              let schedule = TrainingOptions.Schedule(rawValue: record.learningRateSchedule) else {
            throw TrainingError.invalidOption("\(name) records no training options to retrain with")
        }
        let source = try EmbeddingCut.cut(file, to: cutoff, configuration: configuration, name: name)
        let options = try TrainingOptions(
            optimizer: optimizer, learningRate: record.learningRate, schedule: schedule, momentum: record.momentum,
            nesterov: record.nesterov, weightDecay: record.weightDecay, clip: record.clip, epochs: epochs ?? record.epochs,
            batchSize: record.batchSize, seed: record.seed, freezeEmbeddings: record.freezeEmbeddings,
            classWeights: record.classWeights, threads: threads)
        let vocabulary = try Vocabulary(tokens: source.vocabulary.dropFirst(Vocabulary.specialCount).map { ($0, 0) },
                                        tokenizer: configuration.tokenizer)
        let examples = try CorpusEncoder.evaluation(train, vocabulary: vocabulary, labels: source.labels,
                                                    maxLength: configuration.maxLength, multilabel: configuration.multilabel)
        guard examples.dataset.count > 0 else {
            throw TrainingError.invalidOption("\(train.name) holds no example with a token to retrain on")
        }
        let network = try Network(configuration: configuration, vocabularySize: source.vocabulary.count,
                                  labelCount: source.labels.count, tensors: source.tensors,
                                  embeddingRows: source.embeddingRowIndex(configuration: configuration))
        let objective = Objective(configuration: configuration, labelCount: source.labels.count,
                                  classWeights: options.classWeights)
        var trainer = Trainer(network: network, objective: objective, options: options)
        _ = try trainer.train(on: examples.dataset, valid: nil) { event in
            if case .epoch(let summary, let seconds, _) = event {
                progress(String(format: "retrain epoch %d/%d  train loss %.4f acc %.2f%%  %.1fs", summary.epoch,
                                options.epochs, summary.trainLoss, summary.trainAccuracy * 100, seconds))
            }
        }
        var tuned = source
        tuned.tensors = trainer.network.tensors
        return tuned
    }
}
