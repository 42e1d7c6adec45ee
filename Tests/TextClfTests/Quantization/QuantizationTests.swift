import Foundation
import Testing
@testable import TextClf

@Suite("int8 quantization")
struct QuantizationTests {
    @Test func roundTripStaysWithinHalfAScalePerElement() {
        var generator = SeededGenerator(seed: 3)
        let rows = 40, cols = 37
        var values = (0..<rows * cols).map { _ in generator.nextUniform(-2, 2) }
        for c in 0..<cols { values[c] = 0 }                           // a padding row
        for c in 0..<cols { values[cols + c] = 1e-44 * Float(c % 3) }  // so small maxabs/127 underflows
        for c in 0..<cols { values[2 * cols + c] = c == 5 ? -3 : 0.001 } // one large value
        let (q, scales) = Quantization.quantizeRows(values, rows: rows)
        #expect(q.allSatisfy { (-127...127).contains($0) })
        #expect(scales[0] == 1 && q[0..<cols].allSatisfy { $0 == 0 })
        #expect(scales[1] == 1)
        #expect(q[2 * cols + 5] == -127)
        let restored = Quantization.dequantizeRows(q, scales: scales)
        for i in values.indices {
            #expect(abs(values[i] - restored[i]) <= scales[i / cols] / 2, "element \(i)")
        }
        #expect(restored[0..<cols].allSatisfy { $0 == 0 })
    }

    @Test(arguments: ClassifierConfiguration.Architecture.allCases)
    func everyMatrixBecomesInt8AndTheModelStillPredicts(_ arch: ClassifierConfiguration.Architecture) throws {
        let float = HostileModelFiles.model(HostileModelFiles.configuration(arch))
        let quantized = try Quantization.quantize(float, name: "m")
        #expect(quantized.formatVersion == 2)
        let matrices = float.tensors.filter { Quantization.isWeightMatrix($0.key, shape: $0.value.shape) }
        #expect(Set(quantized.integerTensors.keys) == Set(matrices.keys))
        for (name, tensor) in matrices {
            #expect(quantized.integerTensors[name]?.dtype == .i8)
            #expect(quantized.tensors[name + ".scale"]?.shape == [tensor.shape[0]])
        }
        #expect(quantized.tensors["fc.bias"] == float.tensors["fc.bias"])
        let texts = ["ab好", "b", "zzz a"]
        let reference = try HostileModelFiles.load(float.serialized()).probabilities(texts).rows
        let loaded = try HostileModelFiles.load(quantized.serialized()).probabilities(texts).rows
        for (a, b) in zip(reference, loaded) {
            // Random weights of size ~1 in a 3-wide network: the int8 rounding moves these
            // probabilities by well under 0.02.
            #expect(Parity.worstAbsolute(b!, a!) < 0.02)
        }
    }

    @Test func quantizingTwiceIsRefused() throws {
        let quantized = try Quantization.quantize(HostileModelFiles.model(HostileModelFiles.configuration(.pool)), name: "m")
        #expect(throws: QuantizationError.alreadyQuantized("q")) { try Quantization.quantize(quantized, name: "q") }
    }

    @Test func cutoffOutsideTheRowsIsRefused() throws {
        let float = HostileModelFiles.model(HostileModelFiles.configuration(.pool))
        #expect(throws: QuantizationError.cutoffOutOfRange("m", cutoff: 1, rows: 5)) {
            try Quantization.quantize(float, name: "m", cutoff: 1)
        }
        #expect(throws: QuantizationError.cutoffOutOfRange("m", cutoff: 6, rows: 5)) {
            try Quantization.quantize(float, name: "m", cutoff: 6)
        }
    }

    @Test func aRealisticModelsWeightsAreAtLeast3Point5TimesSmaller() throws {
        // An lstm of the default sizes over a 5,000-word vocabulary. Its weights shrink by
        // 4 / (1 + 4/64) at most; the metadata (the vocabulary, about 50 KB here) does not
        // shrink, so the whole file gains a little less.
        let configuration = ClassifierConfiguration(arch: .lstm, dim: 64, hidden: 128)
        let vocabulary = ["<pad>", "<unk>"] + (0..<4998).map { "word\($0)" }
        var generator = SeededGenerator(seed: 1)
        let network = Network(configuration: configuration, vocabularySize: vocabulary.count, labelCount: 6, generator: &generator)
        let float = ModelFile(tensors: network.tensors, config: configuration.json(), vocabulary: vocabulary,
                              labels: ["a", "b", "c", "d", "e", "f"])
        let quantized = try Quantization.quantize(float, name: "m")
        func dataBytes(_ file: ModelFile) -> Int {
            Safetensors(tensors: file.tensors, integerTensors: file.integerTensors).dataSection.count
        }
        #expect(Double(dataBytes(float)) / Double(dataBytes(quantized)) >= 3.5)
        let (before, after) = (float.serialized().count, quantized.serialized().count)
        #expect(Double(before) / Double(after) >= 3.3, "\(before) → \(after) bytes")
    }
}

/// A model trained on the shipped manual-page sample, float and quantized.
@Suite("quantized models trained on real text")
struct TrainedQuantizationTests {
    static let corpus = TestPaths.repository.appendingPathComponent("corpora/manpages_langid")

    static func trainedModel() throws -> ModelFile {
        var job = TrainingJob(train: .corpus(corpus.appendingPathComponent("train.tsv")),
                              network: ClassifierConfiguration(arch: .pool, dim: 32),
                              options: try TrainingOptions(learningRate: 0.01, epochs: 5, threads: 2))
        job.tokenizer = Tokenizer(lowercase: true)
        job.minCount = 2
        return try job.run().model
    }

    static func evaluate(_ file: ModelFile) throws -> (accuracy: Double, probabilities: [[Float]?]) {
        let classifier = try Classifier(file: file, name: "m", threads: 2)
        let report = try EvaluationReport.evaluate(classifier, corpus: corpus.appendingPathComponent("test.tsv"),
                                                   format: nil, k: 1, threshold: nil, worst: 0)
        let texts = try String(contentsOf: corpus.appendingPathComponent("test.tsv"), encoding: .utf8)
            .split(separator: "\n").map { String($0.split(separator: "\t", maxSplits: 1)[1]) }
        return (report.accuracy, classifier.probabilities(texts).rows)
    }

    @Test func quantizedAndCutModelsPredictAsTheFloatModelDoes() throws {
        let float = try Self.trainedModel()
        let (floatAccuracy, floatRows) = try Self.evaluate(float)
        #expect(floatAccuracy > 0.9)

        let quantized = try Quantization.quantize(float, name: "m")
        let (accuracy, rows) = try Self.evaluate(quantized)
        // 500 test lines: int8 changes at most one prediction, and no probability by 0.02.
        #expect(abs(accuracy - floatAccuracy) <= 0.002, "float \(floatAccuracy), int8 \(accuracy)")
        let worst = zip(rows, floatRows).map { Parity.worstAbsolute($0!, $1!) }.max()!
        #expect(worst < 0.02, "largest probability change \(worst)")

        // A quarter of the rows, those of largest norm, keep accuracy within 2 points.
        let rowCount = float.tensors["embedding.weight"]!.shape[0]
        let cut = try Quantization.quantize(float, name: "m", cutoff: rowCount / 4)
        #expect(cut.integerTensors["embedding.weight"]?.shape == [rowCount / 4, 32])
        let (cutAccuracy, _) = try Self.evaluate(cut)
        #expect(cutAccuracy >= floatAccuracy - 0.02, "float \(floatAccuracy), cut \(cutAccuracy)")
    }
}
