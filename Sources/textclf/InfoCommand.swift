import ArgumentParser
import Foundation
import TextClf

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a model file: architecture, sizes, labels, tokenizer and training.",
        discussion: """
            Prints the architecture, sizes, parameter count, labels, vocabulary, tokenizer, ICU \
            version, tensors and the training summary; --json prints one object. The examples \
            describe the model trained by the example of `textclf --help`.

            Examples:
              textclf info -m contains.safetensors
              textclf info -m contains.safetensors --json | python3 -m json.tool
            """
    )

    @Option(name: .shortAndLong, help: "The model file.")
    var model: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @OptionGroup var messages: MessageArguments

    func run() throws {
        let info = try ModelInfo(path: model)
        if let warning = info.icuWarning { Diagnostics.warning(warning) }
        let output = BufferedOutput.standardOutput()
        try output.write(json ? jsonText(info) + "\n" : text(info))
        try output.flush()
    }

    private func text(_ info: ModelInfo) -> String {
        let c = info.configuration
        var lines = ["model        \(info.path) (\(info.fileSize) bytes)"]
        var shape = "\(c.arch.rawValue), embedding \(info.vocabulary.count)×\(c.dim)"
        switch c.arch {
        case .pool: break
        case .rnn, .lstm, .gru:
            shape += ", hidden \(c.hidden), \(c.layers) layer(s)" + (c.bidirectional ? ", bidirectional" : "")
        case .cnn:
            shape += ", kernels \(c.kernelSizes.map(String.init).joined(separator: ",")) × \(c.filters) filters"
        }
        lines.append("architecture \(shape), \(c.pooling.rawValue) pooling, dropout \(c.dropout)")
        lines.append("output       \(c.loss.rawValue) loss\(c.multilabel ? ", multi-label" : ""), \(c.outputCount(labelCount: info.labels.count)) output(s)")
        lines.append("parameters   \(info.parameterCount)")
        lines.append("labels       \(info.labels.count): \(info.labels.joined(separator: " "))")
        lines.append("vocabulary   \(info.vocabulary.count) ids (with <pad> and <unk>), max length \(c.maxLength)")
        lines.append("tokenizer    \(c.tokenizer), ICU \(c.icuVersion)")
        lines.append("tensors      " + info.tensorShapes.map { "\($0.name) \($0.shape)" }.joined(separator: ", "))
        if let training = c.training {
            lines.append("training     \(training.optimizer) lr \(training.learningRate) (\(training.learningRateSchedule)), "
                         + "batch \(training.batchSize), \(training.history.count) epoch(s), seed \(training.seed), "
                         + "\(training.trainExamples) train / \(training.validExamples) valid examples, kept epoch \(training.keptEpoch)")
            for epoch in training.history {
                var line = String(format: "  epoch %3d  train loss %.4f acc %6.2f%%", epoch.epoch, epoch.trainLoss, epoch.trainAccuracy * 100)
                if let loss = epoch.validLoss, let accuracy = epoch.validAccuracy {
                    line += String(format: "  valid loss %.4f acc %6.2f%%", loss, accuracy * 100)
                }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func jsonText(_ info: ModelInfo) throws -> String {
        let configuration = try JSONSerialization.jsonObject(with: Data(info.configuration.json().utf8))
        let object: [String: Any] = [
            "path": info.path,
            "file_size": info.fileSize,
            "config": configuration,
            "parameters": info.parameterCount,
            "labels": info.labels,
            "vocabulary_size": info.vocabulary.count,
            "tensors": Dictionary(uniqueKeysWithValues: info.tensorShapes.map { ($0.name, $0.shape) }),
            "icu_version": icuVersion,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
