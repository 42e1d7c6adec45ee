import Foundation
import Testing
@testable import TextClf

@Suite("embedding cutoff")
struct CutoffTests {
    /// A pool model over words whose rows have the norms `norms` (row i all `norms[i]`).
    static func model(norms: [Float], configuration: ClassifierConfiguration = ClassifierConfiguration(arch: .pool, dim: 2),
                      vocabulary: [String]) -> ModelFile {
        let table = norms.flatMap { [$0, -$0] }
        let fc = Tensor(shape: [2, 2], values: [1, 0.5, -1, 0.25])
        return ModelFile(tensors: ["embedding.weight": Tensor(shape: [norms.count, 2], values: table), "fc.weight": fc,
                                   "fc.bias": Tensor(shape: [2], values: [0.1, -0.1])],
                         config: configuration.json(), vocabulary: vocabulary, labels: ["neg", "pos"],
                         formatVersion: configuration.minimumFormatVersion)
    }

    @Test func theRowsOfLargestNormStayAndPrunedTokensReadAsUnknown() throws {
        let vocabulary = ["<pad>", "<unk>", "small", "big", "tiny", "large"]
        let float = Self.model(norms: [0, 0.3, 0.1, 2, 0.01, 1], vocabulary: vocabulary)
        let cut = try Quantization.quantize(float, name: "m", cutoff: 4)
        #expect(cut.vocabulary == ["<pad>", "<unk>", "big", "large"])
        #expect(cut.integerTensors["embedding.rows"] == IntegerTensor(dtype: .i32, shape: [4], values: [0, 1, 2, 3]))
        #expect(cut.integerTensors["embedding.weight"]?.shape == [4, 2])

        let floatClassifier = try Classifier(file: float, name: "float", threads: 1)
        let cutClassifier = try Classifier(file: cut, name: "cut", threads: 1)
        // Kept tokens predict as before (up to int8 rounding); a pruned token is <unk>, as an
        // unknown word is in the float model.
        let pairs = [("big large", "big large"), ("big small", "big zzz"), ("tiny", "zzz")]
        for (text, floatText) in pairs {
            let a = cutClassifier.probabilities([text]).rows[0]!, b = floatClassifier.probabilities([floatText]).rows[0]!
            #expect(Parity.worstAbsolute(a, b) < 0.01, "\(text): \(a) vs \(b)")
        }
        let info = try ModelInfo(file: cut, path: "cut", fileSize: 0)
        #expect(info.embeddingRows == 4 && info.quantized && info.formatVersion == 2)
        #expect(info.formattedText().contains("embedding cut to 4 rows"))
        #expect(info.parameterCount == 4 * 2 + 4 + 2)
    }

    @Test func keptHashedRowsStayAddressableAndPrunedOnesDropOut() throws {
        // 4 vocabulary ids and 5 hashed rows (ids 4...8): the cut keeps <pad>, <unk>, "b" and the
        // hashed ids 5 and 7; "a" goes, so the hashed ids move down by one.
        let configuration = ClassifierConfiguration(arch: .pool, dim: 2, wordNgrams: 2, buckets: 5)
        let float = Self.model(norms: [0, 0.1, 0.2, 3, 0.3, 5, 0.4, 4, 0.5],
                               configuration: configuration, vocabulary: ["<pad>", "<unk>", "a", "b"])
        let cut = try Quantization.quantize(float, name: "m", cutoff: 5)
        #expect(cut.vocabulary == ["<pad>", "<unk>", "b"])
        #expect(cut.integerTensors["embedding.rows"]?.values == [0, 1, 2, 4, 6])
        let index = try #require(cut.embeddingRowIndex(configuration: try cut.validatedConfiguration(name: "m")))
        #expect((0..<9).map(index.row(of:)) == [0, 1, 2, nil, 3, nil, 4, nil, nil])
        // Batch [[2, 4, 5], [5, 7, 0]] (T = 3): pruned ids leave, a sequence left empty is <unk>.
        let rows = index.rows(ids: [2, 4, 5, 5, 7, 0], lengths: [3, 2], maxLength: 3)
        #expect(rows.ids == [2, 3, 0, 1, 0, 0] && rows.lengths == [2, 1])
    }
}
