import Foundation
@testable import TextClf

/// Small model files, intact and hostile, for the corruption tests.
enum HostileModelFiles {
    static let vocabulary = ["<pad>", "<unk>", "a", "b", "好"]
    static let labels = ["0", "1"]

    /// A tiny configuration of `arch`.
    static func configuration(_ arch: ClassifierConfiguration.Architecture) -> ClassifierConfiguration {
        ClassifierConfiguration(arch: arch, dim: 3, hidden: 2, layers: 1, bidirectional: arch == .gru,
                                kernelSizes: [1, 2], filters: 2, tokenizer: Tokenizer(level: .char))
    }

    /// An intact model file of `configuration` with freshly drawn weights.
    static func model(_ configuration: ClassifierConfiguration) -> ModelFile {
        var generator = SeededGenerator(seed: 7)
        let network = Network(configuration: configuration, vocabularySize: vocabulary.count, labelCount: labels.count,
                              generator: &generator)
        return ModelFile(tensors: network.tensors, config: configuration.json(), vocabulary: vocabulary, labels: labels)
    }

    static func bytes(_ arch: ClassifierConfiguration.Architecture) -> [UInt8] {
        model(configuration(arch)).serialized()
    }

    /// Loads `bytes` the way every command does: parse, verify, validate, build the network.
    @discardableResult
    static func load(_ bytes: [UInt8]) throws -> Classifier {
        try Classifier(file: ModelFile(bytes: bytes, name: "m"), name: "m")
    }

    /// A file whose header declares `entry` for `fc.bias` (hand-written, so any numbers fit),
    /// followed by `dataBytes` zero bytes.
    static func handWritten(entry: String, dataBytes: Int) -> [UInt8] {
        var header = Array("{\"fc.bias\":\(entry),\"__metadata__\":{\"format\":\"textclf\",\"format_version\":\"1\"}}".utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var bytes: [UInt8] = []
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        return bytes + header + [UInt8](repeating: 0, count: dataBytes)
    }
}
