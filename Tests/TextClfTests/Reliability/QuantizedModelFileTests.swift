import Foundation
import Testing
@testable import TextClf

/// Quantized files whose checksum is intact but whose int8 layout is hostile: each is refused
/// with `ModelFileError.malformed` naming the problem, never a trap or garbage predictions.
@Suite("hostile quantized model files")
struct QuantizedModelFileTests {
    static let quantized = try! Quantization.quantize(HostileModelFiles.model(HostileModelFiles.configuration(.lstm)),
                                                      name: "m", cutoff: 5)

    /// A pool model with 3 vocabulary ids and 5 hashed rows, cut to rows [0, 1, 2, 4, 6].
    static let hashed = try! Quantization.quantize(
        CutoffTests.model(norms: [0, 0.1, 0.2, 3, 0.3, 5, 0.4, 4, 0.5],
                          configuration: ClassifierConfiguration(arch: .pool, dim: 2, wordNgrams: 2, buckets: 5),
                          vocabulary: ["<pad>", "<unk>", "a", "b"]),
        name: "m", cutoff: 5)

    static func refusal(_ edit: (inout ModelFile) -> Void, of original: ModelFile = quantized) -> String? {
        var file = original
        edit(&file)
        do {
            try HostileModelFiles.load(file.serialized())
            return nil
        } catch ModelFileError.malformed(_, let reason) {
            return reason
        } catch {
            return "\(error)"
        }
    }

    @Test func theIntactFileLoads() throws {
        try HostileModelFiles.load(Self.quantized.serialized())
    }

    @Test func hostileLayoutsAreRefusedNamingTheProblem() {
        let cases: [(String, (inout ModelFile) -> Void)] = [
            ("not finite and positive", { $0.tensors["fc.weight.scale"]!.values[0] = .nan }),
            ("not finite and positive", { $0.tensors["rnn.weight_hh_l0.scale"]!.values[1] = 0 }),
            ("should have shape [2]", { $0.tensors["fc.weight.scale"] = Tensor(shape: [3], values: [1, 1, 1]) }),
            ("should have shape [8]", { $0.tensors["rnn.weight_ih_l0.scale"] = nil }),
            ("scales no int8 matrix", { $0.tensors["fc.bias.scale"] = Tensor(shape: [2], values: [1, 1]) }),
            ("holds -128", { $0.integerTensors["fc.weight"]!.values[0] = -128 }),
            ("is not a quantized weight matrix", {
                $0.tensors["fc.bias"] = nil
                $0.integerTensors["fc.bias"] = IntegerTensor(dtype: .i8, shape: [2], values: [1, 2])
            }),
            ("the vocabulary's ids come first", { $0.integerTensors["embedding.rows"]!.values = [0, 1, 2, 4, 3] }),
            ("is 7", { $0.integerTensors["embedding.rows"]!.values[1] = 7 }),
            ("must be a list of I32 ids", { $0.integerTensors["embedding.rows"] = IntegerTensor(dtype: .i8, shape: [5], values: [0, 1, 2, 3, 4]) }),
            ("needs every vocabulary id", { $0.integerTensors["embedding.rows"] = IntegerTensor(dtype: .i32, shape: [1], values: [0]) }),
        ]
        for (expected, edit) in cases {
            let reason = Self.refusal(edit, of: Self.quantized)
            #expect(reason?.contains(expected) == true, "expected '\(expected)', got \(reason ?? "a loaded model")")
        }
    }

    @Test func hostileHashedRowIdsAreRefused() throws {
        try HostileModelFiles.load(Self.hashed.serialized())
        let cases: [(String, (inout ModelFile) -> Void)] = [
            ("not strictly ascending", { $0.integerTensors["embedding.rows"]!.values = [0, 1, 2, 6, 4] }),
            ("not strictly ascending", { $0.integerTensors["embedding.rows"]!.values = [0, 1, 2, 4, 4] }),
            ("beyond the 8 ids", { $0.integerTensors["embedding.rows"]!.values = [0, 1, 2, 4, 8] }),
            ("should have shape [4, 2], found [5, 2]", {
                $0.integerTensors["embedding.rows"] = IntegerTensor(dtype: .i32, shape: [4], values: [0, 1, 2, 4])
            }),
        ]
        for (expected, edit) in cases {
            let reason = Self.refusal(edit, of: Self.hashed)
            #expect(reason?.contains(expected) == true, "expected '\(expected)', got \(reason ?? "a loaded model")")
        }
    }

    @Test func rowsBeyondTheVocabularyAreRefusedWithoutHashedRows() {
        // 5 rows for a vocabulary of 5 ids: one more id than the vocabulary has.
        let reason = Self.refusal {
            $0.vocabulary.removeLast()
            $0.integerTensors["embedding.rows"]!.values = [0, 1, 2, 3, 4]
        }
        #expect(reason?.contains("beyond the 4 ids") == true, "\(reason ?? "loaded")")
    }
}
