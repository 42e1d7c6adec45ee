import Foundation
import Testing

/// `textclf autotune` end to end with the release binary: reproducible searches, the printed
/// train command, and bad input.
@Suite("textclf autotune")
struct AutotuneCommandTests {
    /// A small "contains a" corpus: 300 strings, so a trial takes a fraction of a second.
    static func corpus() throws -> ScratchDirectory {
        let files = ScratchDirectory()
        let run = try CommandLineRun(["generate", "contains", "--target", "a", "--count", "300", "--seed", "3",
                                      "-o", files.path("train.txt")])
        #expect(run.status == 0)
        return files
    }

    static func autotune(_ files: ScratchDirectory, _ extra: [String]) throws -> CommandLineRun {
        try CommandLineRun(["autotune", "--level", "char", "--train", files.path("train.txt"), "--valid-split", "0.2"] + extra)
    }

    @Test func trialsAndSeedGiveOneModelWhichThePrintedTrainCommandReproduces() throws {
        let files = try Self.corpus()
        let search = ["--trials", "3", "--seed", "1", "--arch", "pool,cnn,gru"]
        let first = try Self.autotune(files, search + ["--threads", "1", "-o", files.path("a.safetensors")])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try Self.autotune(files, search + ["--threads", "2", "-o", files.path("b.safetensors")])
        #expect(second.status == 0, "\(second.stderr)")
        let a = try Data(contentsOf: files.url.appendingPathComponent("a.safetensors"))
        #expect(a == (try Data(contentsOf: files.url.appendingPathComponent("b.safetensors"))))

        let trialLines = first.stderr.split(separator: "\n").filter { $0.hasPrefix("trial ") }
        #expect(trialLines.count == 3)
        for (index, line) in trialLines.enumerated() {
            #expect(line.hasPrefix("trial \(index + 1)/3  accuracy "), "\(line)")
            #expect(line.contains(" best ") && line.contains("s  ") && line.contains("tok/s  --arch "), "\(line)")
        }
        #expect(trialLines[0].hasSuffix("--arch pool --optimizer adam --lr 0.01 --lr-schedule constant --epochs 20 --dropout 0.1"))
        #expect(trialLines[1].hasSuffix("--arch cnn") && trialLines[2].hasSuffix("--arch gru"))
        #expect(first.stderr.contains("wrote \(files.path("a.safetensors"))"))

        let words = first.stdout.trimmingCharacters(in: .newlines).split(separator: " ").map(String.init)
        #expect(words.starts(with: ["textclf", "train", "--train", files.path("train.txt"), "--valid-split", "0.2",
                                    "--level", "char", "--arch"]), "\(first.stdout)")
        #expect(words.suffix(2) == ["-o", files.path("a.safetensors")])
        let again = try CommandLineRun(Array(words.dropFirst().dropLast()) + [files.path("again.safetensors"), "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Data(contentsOf: files.url.appendingPathComponent("again.safetensors")) == a)
    }

    @Test func aDurationStopsStartingTrials() throws {
        let files = try Self.corpus()
        let started = Date()
        let run = try Self.autotune(files, ["--duration", "2", "--arch", "pool,cnn", "--metric", "macro-f1",
                                            "--model-size", "50K", "-o", files.path("m.safetensors")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
        let trialLines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("trial ") }
        #expect(!trialLines.isEmpty && trialLines[0].hasPrefix("trial 1  macro-f1 "), "\(run.stderr)")
        #expect(trialLines.allSatisfy { $0.contains("int8 ≈ ") })
        #expect(run.stderr.contains("estimated int8 size ") && run.stderr.contains("(limit 50.0 kB)"))
        #expect(FileManager.default.fileExists(atPath: files.path("m.safetensors")))
    }

    @Test func badOptionsAreUsageErrors() throws {
        let files = try Self.corpus()
        let output = ["-o", files.path("m.safetensors")]
        let cases: [([String], String)] = [
            (["--trials", "2", "--duration", "5"], "--duration and --trials cannot be combined"),
            (["--trials", "0"], "--trials must be at least 1"),
            (["--duration", "-1"], "--duration must be a positive number of seconds"),
            (["--arch", "pool,tree"], "--arch: unknown architecture 'tree'"),
            (["--arch", "cnn,cnn"], "--arch lists cnn twice"),
            (["--model-size", "10m"], "--model-size must be a positive size"),
            (["--model-size", "0K"], "--model-size must be a positive size"),
            (["--metric", "f1"], "--metric"),
            (["--metric", "f1:maybe", "--trials", "1"], "'maybe' is not a label of the training data (0, 1)"),
        ]
        for (options, message) in cases {
            let run = try Self.autotune(files, options + output)
            #expect(run.status == 2, "\(options): \(run.stderr)")
            #expect(run.stderr.hasPrefix("Error: ") && run.stderr.contains(message), "\(options): \(run.stderr)")
            #expect(run.stderr.contains("\nUsage: textclf autotune [<options>] --train <train> --output <output>\n"),
                    "\(options): \(run.stderr)")
        }
        let noValidation = try CommandLineRun(["autotune", "--train", files.path("train.txt")] + output)
        #expect(noValidation.status == 2 && noValidation.stderr.contains("give --valid FILE or --valid-split P"))
        let both = try Self.autotune(files, ["--valid", files.path("train.txt")] + output)
        #expect(both.status == 2 && both.stderr.contains("--valid and --valid-split cannot be combined"))
        #expect(!FileManager.default.fileExists(atPath: files.path("m.safetensors")))
    }

    @Test func unreadableDataIsARuntimeError() throws {
        let files = try Self.corpus()
        let missing = try CommandLineRun(["autotune", "--train", files.path("nope.tsv"), "--valid-split", "0.1",
                                          "--trials", "1", "-o", files.path("m.safetensors")])
        missing.expectOneLineError(startingWith: "cannot open ", containing: files.path("nope.tsv"))
        files.write("valid.tsv", "1\tbanana\nmaybe\tkiwi\n")
        let unknown = try CommandLineRun(["autotune", "--level", "char", "--train", files.path("train.txt"),
                                          "--valid", files.path("valid.tsv"), "--trials", "1", "-o", files.path("m.safetensors")])
        unknown.expectOneLineError(startingWith: files.path("valid.tsv") + ":2:", containing: "maybe")
        #expect(files.listing() == ["train.txt", "valid.tsv"])
    }
}
