import Foundation
import Testing

/// Training end to end with the release binary: generate → train → info.
@Suite("textclf train and info")
struct TrainCommandTests {
    /// A small "contains a" corpus in a fresh directory.
    static func corpus(count: Int = 400, seed: Int = 5) throws -> ScratchDirectory {
        let files = ScratchDirectory()
        let run = try CommandLineRun(["generate", "contains", "--target", "a", "--count", "\(count)", "--seed", "\(seed)",
                                      "-o", files.path("train.txt")])
        #expect(run.status == 0)
        return files
    }

    static let small = ["--level", "char", "--dim", "8", "--hidden", "8", "--filters", "4", "--epochs", "2", "--quiet"]

    static let shapes: [[String]] = [
        ["--arch", "pool"], ["--arch", "pool", "--pooling", "max"],
        ["--arch", "rnn"], ["--arch", "rnn", "--pooling", "mean"], ["--arch", "rnn", "--pooling", "max"],
        ["--arch", "lstm", "--bidirectional", "--layers", "2"], ["--arch", "lstm", "--pooling", "max"],
        ["--arch", "gru", "--bidirectional"], ["--arch", "gru", "--pooling", "mean", "--layers", "2"],
        ["--arch", "cnn"], ["--arch", "cnn", "--pooling", "mean", "--kernel-sizes", "2,7"],
    ]

    @Test(arguments: shapes)
    func everyArchitectureTrainsAndInfoDescribesIt(_ shape: [String]) throws {
        let files = try Self.corpus()
        let train = try CommandLineRun(["train", "--train", files.path("train.txt"), "--valid-split", "0.2"]
                                       + shape + Self.small + ["-o", files.path("m.safetensors")])
        #expect(train.status == 0, "\(train.stderr)")
        let info = try CommandLineRun(["info", "-m", files.path("m.safetensors"), "--json"])
        #expect(info.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as! [String: Any]
        let config = object["config"] as! [String: Any]
        #expect(config["arch"] as? String == shape[1])
        #expect((object["labels"] as? [String]) == ["0", "1"])
        let tensors = object["tensors"] as! [String: [Int]]
        #expect(tensors["embedding.weight"]?[1] == 8)
        #expect(tensors["fc.bias"] == [2])
        let training = config["training"] as! [String: Any]
        #expect((training["history"] as? [Any])?.count == 2)
        if shape.contains("--layers") && shape.contains("--bidirectional") {
            #expect(tensors["rnn.weight_ih_l1_reverse"] == [32, 16])  // LSTM: 4 gates × 8, input 2 × 8
        } else if shape.contains("--layers") {
            #expect(tensors["rnn.weight_ih_l1"] == [24, 8])  // GRU: 3 gates × 8, input 8
        }
        if shape[1] == "cnn" { #expect(tensors["conv.1.weight"]?[0] == 4) }
        let text = try CommandLineRun(["info", "-m", files.path("m.safetensors")])
        #expect(text.stdout.contains("architecture \(shape[1])"))
    }

    @Test func recurrentModelLearnsTheContainsTask() throws {
        let files = try Self.corpus(count: 2000, seed: 11)
        let run = try CommandLineRun(["train", "--arch", "rnn", "--level", "char", "--train", files.path("train.txt"),
                                      "--valid-split", "0.1", "--epochs", "5", "-o", files.path("rnn.safetensors")])
        #expect(run.status == 0, "\(run.stderr)")
        let info = try CommandLineRun(["info", "-m", files.path("rnn.safetensors"), "--json"])
        let config = (try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as! [String: Any])["config"] as! [String: Any]
        let history = (config["training"] as! [String: Any])["history"] as! [[String: Any]]
        let best = history.compactMap { $0["valid_accuracy"] as? Double }.max() ?? 0
        #expect(best >= 0.99, "best validation accuracy \(best)")
        // Without a terminal, progress is one line per epoch.
        #expect(run.stderr.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.count == 5)
    }

    @Test(arguments: [["--arch", "rnn"], ["--arch", "cnn", "--pooling", "mean"], ["--arch", "pool"]])
    func modelFilesAreIdenticalForAnyThreadCount(_ shape: [String]) throws {
        let files = try Self.corpus(count: 300)
        var bytes: [Data] = []
        for threads in ["1", "2"] {
            let model = files.path("m\(threads).safetensors")
            let run = try CommandLineRun(["train", "--train", files.path("train.txt"), "--threads", threads, "--dropout", "0.3"]
                                         + shape + Self.small + ["-o", model])
            #expect(run.status == 0, "\(run.stderr)")
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: model)))
        }
        #expect(bytes[0] == bytes[1])
    }

    @Test func metricsLogAndPlotAreWritten() throws {
        let files = try Self.corpus()
        let run = try CommandLineRun(["train", "--arch", "pool", "--train", files.path("train.txt"), "--valid-split", "0.25",
                                      "--metrics-log", files.path("m.jsonl"), "--plot", files.path("p.svg")]
                                     + Self.small + ["-o", files.path("m.safetensors")])
        #expect(run.status == 0, "\(run.stderr)")
        let log = try String(contentsOfFile: files.path("m.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(log.count == 2 && log[0].hasPrefix("{\"epoch\":1,"))
        #expect(try String(contentsOfFile: files.path("p.svg"), encoding: .utf8).contains("<polyline"))
    }

    @Test func pretrainedVectorsInitialiseTheRowsTheyCover() throws {
        let files = try Self.corpus()
        files.write("v.vec", "2 8\na 1 1 1 1 1 1 1 1\nzz 2 2 2 2 2 2 2 2\n")
        let run = try CommandLineRun(["train", "--arch", "pool", "--train", files.path("train.txt"), "--level", "char",
                                      "--pretrained-vectors", files.path("v.vec"), "--freeze-embeddings", "--epochs", "1",
                                      "-o", files.path("m.safetensors")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("pretrained vectors cover 1 of 26 tokens"))
        let wrong = try CommandLineRun(["train", "--arch", "pool", "--train", files.path("train.txt"), "--level", "char",
                                        "--pretrained-vectors", files.path("v.vec"), "--dim", "16", "-o", files.path("w.safetensors")])
        wrong.expectOneLineError(startingWith: files.path("v.vec") + ":1: the vectors have dimension 8")
        #expect(!FileManager.default.fileExists(atPath: files.path("w.safetensors")))
    }
}
