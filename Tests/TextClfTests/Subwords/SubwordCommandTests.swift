import Foundation
import Testing
@testable import TextClf

/// `train --word-ngrams/--minn/--maxn/--buckets` from the command line, and what subwords do.
@Suite("textclf train with word n-grams and subwords")
struct SubwordCommandTests {
    @Test func outOfRangeOptionsAreUsageErrors() throws {
        let cases: [[String]] = [
            ["--arch", "lstm", "--word-ngrams", "2"], ["--arch", "cnn", "--word-ngrams", "3"],
            ["--word-ngrams", "0"], ["--word-ngrams", "11"],
            ["--minn", "3"], ["--maxn", "6"], ["--minn", "4", "--maxn", "3"], ["--minn", "0", "--maxn", "3"],
            ["--minn", "3", "--maxn", "33"], ["--level", "char", "--minn", "2", "--maxn", "3"],
            ["--word-ngrams", "2", "--buckets", "0"], ["--word-ngrams", "2", "--buckets", "100000001"],
        ]
        for arguments in cases {
            let arch = arguments.contains("--arch") ? [] : ["--arch", "pool"]
            let run = try CommandLineRun(["train", "--train", "/nonexistent", "-o", "/nonexistent/m"] + arch + arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("Error: "), "\(arguments): \(run.stderr)")
        }
    }

    /// Held-out strings of the `contains` task at space level are all unknown tokens: without
    /// subwords every one is `<unk>` and the model can only guess, with them the letter `a`
    /// is a subword of the strings that contain it.
    @Test(arguments: [["--arch", "pool"], ["--arch", "lstm"], ["--arch", "cnn", "--kernel-sizes", "1,2"]])
    func subwordsGiveUnknownWordsAMeaning(_ shape: [String]) throws {
        let files = try TrainCommandTests.corpus(count: 600)
        #expect(try CommandLineRun(["generate", "contains", "--target", "a", "--count", "200", "--seed", "99",
                                    "-o", files.path("test.txt")]).status == 0)
        let common = ["train", "--train", files.path("train.txt"), "--level", "space", "--dim", "16", "--hidden", "16",
                      "--filters", "8", "--epochs", "8", "--quiet"] + shape
        let plain = try CommandLineRun(common + ["-o", files.path("plain.safetensors")])
        #expect(plain.status == 0, "\(plain.stderr)")
        let subwords = try CommandLineRun(common + ["--minn", "1", "--maxn", "2", "--buckets", "5000", "--optimizer", "adam", "--lr", "0.01",
                                                    "-o", files.path("sub.safetensors")])
        #expect(subwords.status == 0, "\(subwords.stderr)")
        func accuracy(_ model: String) throws -> Double {
            let run = try CommandLineRun(["test", "-m", files.path(model), files.path("test.txt"), "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            return object?["accuracy"] as? Double ?? -1
        }
        #expect(try accuracy("plain.safetensors") <= 0.6)
        #expect(try accuracy("sub.safetensors") >= 0.9)

        let info = try CommandLineRun(["info", "-m", files.path("sub.safetensors")])
        #expect(info.stdout.contains("hashed rows  5000 buckets after the vocabulary: no word n-grams, subwords of 1...2 graphemes"))
        let file = try ModelFile(contentsOf: URL(fileURLWithPath: files.path("sub.safetensors")))
        #expect(file.formatVersion == 2)
    }

    /// classify (the streaming path), test and the library give the same probabilities, and
    /// they are those of the training encoder's ids.
    @Test func wordNgramModelsClassifyAsTheLibraryPredicts() throws {
        let files = try TrainCommandTests.corpus(count: 300)
        let lines = ["ab ba xy", "qq", "a a a zz", "zz", "  ", "unseen words all the way"]
        let input = files.write("in.txt", lines.joined(separator: "\n") + "\n")
        let train = try CommandLineRun(["train", "--arch", "pool", "--train", files.path("train.txt"), "--level", "space",
                                        "--word-ngrams", "3", "--buckets", "1000", "--epochs", "2", "--quiet",
                                        "-o", files.path("m.safetensors")])
        #expect(train.status == 0, "\(train.stderr)")
        let classify = try CommandLineRun(["classify", "-m", files.path("m.safetensors"), "--all-probabilities", "--no-text", input])
        let classifier = try Classifier(contentsOf: URL(fileURLWithPath: files.path("m.safetensors")))
        let expected = classifier.probabilities(lines).rows.map { row in
            row.map { values in zip(classifier.labels, values).map { "\($0)\t\(String(format: "%.6f", $1))" }.joined(separator: "\t") } ?? "\t"
        }
        #expect(classify.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) == expected)
    }

    @Test func theModelFileDoesNotDependOnTheThreadCount() throws {
        let files = try TrainCommandTests.corpus(count: 300)
        var models: [Data] = []
        for threads in ["1", "2"] {
            let run = try CommandLineRun(["train", "--arch", "gru", "--train", files.path("train.txt"), "--level", "space",
                                          "--dim", "8", "--hidden", "8", "--epochs", "2", "--minn", "1", "--maxn", "3",
                                          "--buckets", "300", "--valid-split", "0.1", "--threads", threads, "--quiet",
                                          "-o", files.path("m\(threads)")])
            #expect(run.status == 0, "\(run.stderr)")
            models.append(try Data(contentsOf: URL(fileURLWithPath: files.path("m\(threads)"))))
        }
        #expect(models[0] == models[1])
    }
}
