import Foundation
import Testing

/// Bad input to train and info: one line on stderr, exit 1 (2 for usage), nothing written.
@Suite("textclf train and info on bad input")
struct TrainBadInputTests {
    static let fast = ["--level", "char", "--dim", "4", "--epochs", "1"]

    @Test func badOptionValuesAreUsageErrorsBeforeAnyWork() throws {
        for arguments in [["--dropout", "1.5"], ["--lr", "-1"], ["--threads", "0"], ["--arch", "cnn", "--pooling", "last"],
                          ["--arch", "pool", "--pooling", "last"], ["--valid-split", "1.5"], ["--kernel-sizes", "3,x"],
                          ["--early-stopping", "2"], ["--multilabel", "--loss", "ce"], ["--nesterov"]] {
            let arch = arguments.contains("--arch") ? [] : ["--arch", "rnn"]
            let run = try CommandLineRun(["train", "--train", "/nonexistent", "-o", "/nonexistent/m"] + arch + arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
        }
    }

    @Test func unusableTrainingSetsAreNamed() throws {
        let files = ScratchDirectory()
        let cases: [(String, String, String)] = [
            ("empty.txt", "", "the corpus holds no examples"),
            ("one.txt", "__label__x abc\n__label__x def\n", "training needs at least two labels, found 'x'"),
            ("bad.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \n", ":2: "),
            ("multi.txt", "__label__x __label__y ab\n__label__x cd\n", ":1: the example has 2 labels"),
        ]
        for (name, contents, message) in cases {
            let path = files.write(name, contents)
            let run = try CommandLineRun(["train", "--arch", "pool", "--train", path, "-o", files.path("m.safetensors")] + Self.fast)
            run.expectOneLineError(startingWith: path, containing: message)
        }
        let missing = try CommandLineRun(["train", "--arch", "pool", "--train", files.path("none.txt"), "-o", files.path("m.safetensors")])
        missing.expectOneLineError(startingWith: "cannot open \(files.path("none.txt"))")
        #expect(!FileManager.default.fileExists(atPath: files.path("m.safetensors")))
    }

    @Test func vocabularyFileFixesTheTokenizerAndABadLineIsNamed() throws {
        let files = try TrainCommandTests.corpus(count: 200)
        #expect(try CommandLineRun(["build-vocab", "--level", "char", "-o", files.path("v.txt"), files.path("train.txt")]).status == 0)
        let good = try CommandLineRun(["train", "--arch", "pool", "--train", files.path("train.txt"), "--vocab", files.path("v.txt"),
                                       "--epochs", "1", "--quiet", "-o", files.path("m.safetensors")])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(try CommandLineRun(["info", "-m", files.path("m.safetensors")]).stdout.contains("level=char"))
        let conflicting = try CommandLineRun(["train", "--arch", "pool", "--train", files.path("train.txt"), "--vocab", files.path("v.txt"),
                                              "--lowercase", "-o", files.path("m.safetensors")])
        #expect(conflicting.status == 2)
        var lines = try String(contentsOfFile: files.path("v.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        lines[4] = "no-count-here"
        let bad = files.write("bad.txt", lines.joined(separator: "\n") + "\n")
        let run = try CommandLineRun(["train", "--arch", "pool", "--train", files.path("train.txt"), "--vocab", bad,
                                      "-o", files.path("n.safetensors")])
        run.expectOneLineError(startingWith: "\(bad):5:")
        #expect(!FileManager.default.fileExists(atPath: files.path("n.safetensors")))
    }

    @Test func failedTrainingNeverClobbersTheOutput() throws {
        let files = ScratchDirectory()
        let train = files.write("t.txt", "__label__a xyz\n__label__b abc\n")
        let model = files.write("m.safetensors", "precious")
        let run = try CommandLineRun(["train", "--arch", "pool", "--train", train, "--valid", files.write("v.txt", "__label__c q\n"),
                                      "-o", model] + Self.fast)
        run.expectOneLineError(startingWith: files.path("v.txt") + ":1: label 'c' is not one of the model's labels")
        #expect(try String(contentsOfFile: model, encoding: .utf8) == "precious")
        #expect(files.listing() == ["m.safetensors", "t.txt", "v.txt"])
    }

    @Test func divergingLossStopsNamingEpochAndBatch() throws {
        let files = try TrainCommandTests.corpus()
        let run = try CommandLineRun(["train", "--arch", "pool", "--train", files.path("train.txt"), "--optimizer", "sgd",
                                      "--lr", "1e38", "--clip", "0", "--epochs", "3", "--quiet", "-o", files.path("m.safetensors")])
        run.expectOneLineError(startingWith: "the loss became NaN or infinite in epoch ", containing: ", batch 1; try a lower --lr")
        #expect(!FileManager.default.fileExists(atPath: files.path("m.safetensors")))
    }

    @Test func unwritableOutputFailsBeforeTraining() throws {
        let files = try TrainCommandTests.corpus()
        let run = try CommandLineRun(["train", "--arch", "pool", "--train", files.path("train.txt"),
                                      "-o", files.path("missing/dir/m.safetensors")] + Self.fast)
        run.expectOneLineError(startingWith: "cannot write \(files.path("missing/dir/m.safetensors"))")
    }

    @Test func infoRefusesDamagedAndForeignFiles() throws {
        let files = try TrainCommandTests.corpus(count: 100)
        let model = files.path("m.safetensors")
        #expect(try CommandLineRun(["train", "--arch", "pool", "--train", files.path("train.txt"), "-o", model, "--quiet"]
                                   + Self.fast).status == 0)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: model)))
        var flipped = bytes
        flipped[bytes.count - 3] ^= 0x01
        let cases: [(String, [UInt8], String)] = [
            ("truncated", Array(bytes.prefix(bytes.count - 10)), "the model file is truncated"),
            ("flipped", flipped, "the model file is corrupted (checksum mismatch)"),
            ("text", Array("just some text\n".utf8), "not a textclf model file"),
            ("version", versionBumped(bytes), "model format version 9 is newer than this textclf reads (up to 2)"),
        ]
        for (name, content, message) in cases {
            let path = files.write(name, bytes: content)
            let run = try CommandLineRun(["info", "-m", path])
            run.expectOneLineError(startingWith: "\(path): \(message)")
        }
        try CommandLineRun(["info", "-m", files.path("absent")]).expectOneLineError(startingWith: "\(files.path("absent")): cannot read")
    }

    /// The same file with format_version 9: the same length, so every offset stays valid. The
    /// checksum does not cover the version, so the version check is what refuses it.
    private func versionBumped(_ bytes: [UInt8]) -> [UInt8] {
        let pattern = Array("\"format_version\":\"1\"".utf8)
        var result = bytes
        for start in 0...(bytes.count - pattern.count) where Array(bytes[start..<start + pattern.count]) == pattern {
            result[start + pattern.count - 2] = UInt8(ascii: "9")
            return result
        }
        Issue.record("no format_version in the model file")
        return result
    }
}
