import Foundation
import Testing
@testable import TextClf

/// Networks whose positions are bags of rows (word n-grams, subwords) against PyTorch, each
/// position an `nn.EmbeddingBag(mode='mean')` (fixtures from `make_subword_fixtures.py`).
@Suite("subword parity")
struct SubwordParityTests {
    @Test(arguments: ["subwords_pool_ngrams", "subwords_pool_max", "subwords_lstm_last",
                      "subwords_gru_bidirectional_mean", "subwords_cnn_max"])
    func logitsAndGradientsMatchPyTorch(_ name: String) throws {
        let f = try CoreFixture(name)
        let settings = try #require(JSONSerialization.jsonObject(with: Data((f.file.metadata["config"] ?? "").utf8)) as? [String: Any])
        let configuration = ClassifierConfiguration(
            arch: try #require(ClassifierConfiguration.Architecture(rawValue: settings["arch"] as! String)),
            pooling: ClassifierConfiguration.Pooling(rawValue: settings["pooling"] as! String),
            dim: settings["dim"] as! Int, hidden: settings["hidden"] as! Int, layers: settings["layers"] as! Int,
            bidirectional: settings["bidirectional"] as! Bool, kernelSizes: settings["kernel_sizes"] as! [Int],
            filters: settings["filters"] as! Int, dropout: 0, wordNgrams: settings["word_ngrams"] as! Int,
            minn: settings["minn"] as! Int, maxn: settings["maxn"] as! Int, buckets: settings["buckets"] as! Int,
            tokenizer: Tokenizer(level: .space))
        let vocabularySize = Int(f.file.metadata["vocabulary_size"] ?? "") ?? 0
        let T = Int(f.file.metadata["steps"] ?? "") ?? 0
        let parameters = f.file.tensors.filter {
            $0.key.hasPrefix("embedding.") || $0.key.hasPrefix("rnn.") || $0.key.hasPrefix("conv.") || $0.key.hasPrefix("fc.")
        }
        var network = try Network(configuration: configuration, vocabularySize: vocabularySize, labelCount: 3,
                                  tensors: parameters)
        let bags = PositionBags(offsets: f.ints("bag_offsets"), rows: f.ints("bag_rows"))
        let lengths = f.ints("lengths")
        // Without subwords every bag holds one row: the ids path, padding 0.
        let ids = (0 ..< bags.count).map { bags.bag($0).first ?? 0 }
        var unused = SeededGenerator(seed: 0)
        let (logits, cache) = network.forward(ids: ids, bags: configuration.minn > 0 ? bags : nil, lengths: lengths,
                                              maxLength: T, training: false, generator: &unused)
        f.expect(logits.storage, "logits")
        network.backward(f.matrix("logits_grad"), cache)
        f.expect(network.embedding.gradient.dense(), "grad.embedding.weight")
        network.forEachParameter { name, _, _, gradient in f.expect(gradient, "grad." + name) }
    }
}
