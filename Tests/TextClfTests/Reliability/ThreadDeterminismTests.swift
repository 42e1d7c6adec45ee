import Foundation
import Testing

/// SPEC §5: the same data, options and seed give the same model file for any `--threads`, for
/// every architecture, and `classify` answers the same.
@Suite("determinism across thread counts")
struct ThreadDeterminismTests {
    @Test(arguments: [["--arch", "pool"], ["--arch", "rnn", "--bidirectional"], ["--arch", "lstm", "--layers", "2"],
                      ["--arch", "gru"], ["--arch", "cnn", "--kernel-sizes", "2,3"]])
    func modelFilesAndPredictionsMatchFor1And2And4Threads(_ arch: [String]) throws {
        let files = try TrainCommandTests.corpus(count: 300, seed: 9)
        var models: [Data] = [], outputs: [String] = []
        for threads in ["1", "2", "4"] {
            let model = files.path("m\(threads)")
            let train = try CommandLineRun(["train", "--train", files.path("train.txt"), "--valid-split", "0.2", "--level", "char",
                                            "--dim", "6", "--hidden", "5", "--filters", "3", "--epochs", "2", "--batch-size", "16",
                                            "--dropout", "0.2", "--threads", threads, "--quiet", "-o", model] + arch)
            #expect(train.status == 0, "\(train.stderr)")
            models.append(try Data(contentsOf: URL(fileURLWithPath: model)))
            let classify = try CommandLineRun(["classify", "-m", files.path("m1"), "--k", "2", "--threads", threads,
                                               "--batch-size", "7", files.path("train.txt")])
            #expect(classify.status == 0)
            outputs.append(classify.stdout)
        }
        #expect(models[0] == models[1] && models[0] == models[2], "\(arch)")
        #expect(outputs[0] == outputs[1] && outputs[0] == outputs[2] && !outputs[0].isEmpty)
    }

    /// Batches of 100 rows make 6 shards, more than the threads; 2,500 lines make three
    /// tokenizer chunks; the embedding gradient goes through every row group.
    @Test(arguments: [["--arch", "pool", "--level", "word"], ["--arch", "pool", "--optimizer", "adam", "--dropout", "0.1"],
                      ["--arch", "gru", "--level", "char"]])
    func manyShardsAndTokenizerChunksGiveTheSameModelFor1And2And4Threads(_ options: [String]) throws {
        let files = ScratchDirectory()
        let lines = (0..<2_500).map { i in "__label__\(i % 3) w\(i % 97) x\(i % 13) y\(i % 7) z\(i / 100) \(i % 3 == 0 ? "a" : "b")" }
        try lines.joined(separator: "\n").write(toFile: files.path("train.txt"), atomically: true, encoding: .utf8)
        var models: [Data] = []
        for threads in ["1", "2", "4"] {
            let model = files.path("m\(threads)")
            let train = try CommandLineRun(["train", "--train", files.path("train.txt"), "--valid-split", "0.1", "--dim", "6",
                                            "--hidden", "5", "--epochs", "2", "--batch-size", "100", "--threads", threads,
                                            "--quiet", "-o", model] + options)
            #expect(train.status == 0, "\(train.stderr)")
            models.append(try Data(contentsOf: URL(fileURLWithPath: model)))
        }
        #expect(!models[0].isEmpty && models[0] == models[1] && models[0] == models[2], "\(options)")
    }
}
