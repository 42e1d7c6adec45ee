import Foundation
import Testing

/// `textclf quantize` end to end with the release binary: train → quantize → classify, test, info.
@Suite("textclf quantize")
struct QuantizeCommandTests {
    /// A scratch directory holding a small trained word model, `m.safetensors`, and its corpus.
    static func trainedModel() throws -> ScratchDirectory {
        let files = try TrainCommandTests.corpus(count: 600, seed: 9)
        let train = try CommandLineRun(["train", "--arch", "pool", "--level", "char", "--dim", "16", "--optimizer", "adam", "--lr", "0.05",
                                        "--epochs", "3", "--quiet", "--train", files.path("train.txt"),
                                        "-o", files.path("m.safetensors")])
        #expect(train.status == 0, "\(train.stderr)")
        return files
    }

    @Test func quantizedModelClassifiesAndInfoSaysSo() throws {
        let files = try Self.trainedModel()
        let run = try CommandLineRun(["quantize", "-m", files.path("m.safetensors"), "-o", files.path("q.safetensors")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let sizes = try #require(run.stderr.firstMatch(of: /: (\d+) bytes → .*: (\d+) bytes \(([0-9.]+)× smaller\)/))
        let written = try FileManager.default.attributesOfItem(atPath: files.path("q.safetensors"))[.size] as! Int
        #expect(Int(sizes.2) == written && Int(sizes.1)! > written)

        let texts = files.write("texts.txt", "banana\nxyz\nqqqa\n")
        let float = try CommandLineRun(["classify", "-m", files.path("m.safetensors"), "--no-text", texts])
        let quantized = try CommandLineRun(["classify", "-m", files.path("q.safetensors"), "--no-text", texts])
        #expect(quantized.status == 0, "\(quantized.stderr)")
        // The same labels; probabilities differ by int8 rounding only.
        #expect(float.stdout.split(separator: "\n").map { $0.prefix(1) } == quantized.stdout.split(separator: "\n").map { $0.prefix(1) })

        let info = try CommandLineRun(["info", "-m", files.path("q.safetensors"), "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as! [String: Any]
        #expect(object["quantized"] as? Bool == true && object["format_version"] as? Int == 2)
        #expect((object["tensor_dtypes"] as? [String: String])?["fc.weight"] == "I8")
        #expect((object["tensor_dtypes"] as? [String: String])?["fc.weight.scale"] == "F32")
        let text = try CommandLineRun(["info", "-m", files.path("q.safetensors")])
        #expect(text.stdout.contains("quantized    int8 weight matrices with per-row F32 scales"))

        let again = try CommandLineRun(["quantize", "-m", files.path("q.safetensors"), "-o", files.path("qq.safetensors")])
        again.expectOneLineError(startingWith: files.path("q.safetensors"), containing: "already quantized")
        #expect(!FileManager.default.fileExists(atPath: files.path("qq.safetensors")))
    }

    @Test func cutoffWithRetrainingKeepsTheTask() throws {
        let files = try Self.trainedModel()
        let run = try CommandLineRun(["quantize", "-m", files.path("m.safetensors"), "-o", files.path("small.safetensors"),
                                      "--cutoff", "10", "--retrain", "--train", files.path("train.txt"), "--epochs", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("retrain epoch 2/2"))
        let info = try CommandLineRun(["info", "-m", files.path("small.safetensors"), "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as! [String: Any]
        #expect(object["embedding_rows"] as? Int == 10 && object["vocabulary_size"] as? Int == 10)
        let test = try CommandLineRun(["test", "-m", files.path("small.safetensors"), files.path("train.txt"), "--json"])
        let report = try JSONSerialization.jsonObject(with: Data(test.stdout.utf8)) as! [String: Any]
        // The letter 'a' decides the label, and its row is among the largest.
        #expect((report["accuracy"] as? Double ?? 0) >= 0.9, "\(test.stdout)")
    }

    @Test func usageErrorsExit2() throws {
        let files = try Self.trainedModel()
        let model = files.path("m.safetensors"), out = files.path("o.safetensors")
        let cases: [([String], String)] = [
            (["--retrain"], "--retrain needs --train FILE."),
            (["--train", files.path("train.txt")], "--train is only used with --retrain."),
            (["--cutoff", "1"], "--cutoff must be at least 2"),
            (["--cutoff", "100000"], "is more than the"),
        ]
        for (arguments, message) in cases {
            let run = try CommandLineRun(["quantize", "-m", model, "-o", out] + arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
