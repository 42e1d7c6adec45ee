import Foundation

/// Checkpoints for `TrainingJob`: what a checkpoint must agree with to be resumed, and the
/// `TrainingControl` that loads, saves and stops.
extension TrainingJob {
    func trainingControl(configuration: ClassifierConfiguration, options: TrainingOptions, vocabulary: Vocabulary,
                         labels: [String], train: EncodedDataset, valid: EncodedDataset?) throws -> TrainingControl {
        guard let directory = checkpointDirectory?.relativePath else {
            // Only checkpoints read the fingerprint, and checksumming the data takes time.
            return TrainingControl(fingerprint: [:], stop: stopRequest, stopAfterBatches: stopAfterBatches)
        }
        let fingerprint = Self.fingerprint(configuration: configuration, options: options, vocabulary: vocabulary,
                                           labels: labels, train: train, valid: valid,
                                           pretrainedVectors: pretrainedVectors?.relativePath)
        var control = TrainingControl(fingerprint: fingerprint, stop: stopRequest, stopAfterBatches: stopAfterBatches)
        if resume {
            let checkpoint = try TrainingCheckpoint(directory: directory)
            try checkpoint.check(fingerprint: fingerprint, directory: directory)
            control.resume = checkpoint
        }
        control.save = { try $0.save(in: directory) }
        return control
    }

    /// Everything a training run's result depends on, by the name a message would use: the
    /// network's settings, the training options, and checksums of the vocabulary and the data.
    /// The thread count is absent: it never changes the result.
    static func fingerprint(configuration: ClassifierConfiguration, options: TrainingOptions, vocabulary: Vocabulary,
                            labels: [String], train: EncodedDataset, valid: EncodedDataset?,
                            pretrainedVectors: String?) -> [String: String] {
        var network = configuration
        network.training = nil
        var fingerprint: [String: String] = [:]
        if let object = try? JSONSerialization.jsonObject(with: Data(network.json().utf8)) as? [String: Any] {
            for (key, value) in object {
                fingerprint[key] = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]))
                    .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
            }
        }
        fingerprint["optimizer"] = options.optimizer.rawValue
        fingerprint["learning_rate"] = "\(options.learningRate)"
        fingerprint["learning_rate_schedule"] = options.schedule.rawValue
        fingerprint["momentum"] = "\(options.momentum)"
        fingerprint["nesterov"] = "\(options.nesterov)"
        fingerprint["weight_decay"] = "\(options.weightDecay)"
        fingerprint["clip"] = "\(options.clip)"
        fingerprint["epochs"] = "\(options.epochs)"
        fingerprint["batch_size"] = "\(options.batchSize)"
        fingerprint["seed"] = "\(options.seed)"
        fingerprint["early_stopping"] = options.earlyStopping.map(String.init) ?? "none"
        fingerprint["freeze_embeddings"] = "\(options.freezeEmbeddings)"
        fingerprint["class_weights"] = options.classWeights.map { "\($0)" } ?? "none"
        fingerprint["pretrained_vectors"] = pretrainedVectors ?? "none"
        fingerprint["labels"] = jsonArray(labels)
        var crc = CRC32()
        for id in 0..<vocabulary.count { crc.update(vocabulary.token(for: Int32(id)).utf8); crc.update([0]) }
        fingerprint["vocabulary"] = crc.hexDigits
        fingerprint["training data"] = checksum(train)
        fingerprint["validation data"] = valid.map(checksum) ?? "none"
        return fingerprint
    }

    private static func checksum(_ dataset: EncodedDataset) -> String {
        var crc = CRC32()
        for values in [dataset.tokenIDs, dataset.labelIDs] {
            values.withUnsafeBytes { crc.update($0) }
        }
        for offsets in [dataset.tokenOffsets, dataset.labelOffsets] {
            offsets.withUnsafeBytes { crc.update($0) }
        }
        return "\(dataset.count) examples, CRC-32 \(crc.hexDigits)"
    }
}
