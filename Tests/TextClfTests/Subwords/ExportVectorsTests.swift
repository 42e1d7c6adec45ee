import Foundation
import Testing
@testable import TextClf

/// `textclf export-vectors` and `Classifier.vector(of:)`.
@Suite("export-vectors")
struct ExportVectorsTests {
    @Test func exportedVectorsSeedAnotherModelAndCoverItsVocabulary() throws {
        let files = try TrainCommandTests.corpus(count: 300)
        let common = ["train", "--arch", "pool", "--train", files.path("train.txt"), "--level", "space", "--dim", "8",
                      "--epochs", "1"]
        let first = try CommandLineRun(common + ["--minn", "2", "--maxn", "3", "--buckets", "500", "--quiet",
                                                 "-o", files.path("a.safetensors")])
        #expect(first.status == 0, "\(first.stderr)")
        let export = try CommandLineRun(["export-vectors", "-m", files.path("a.safetensors"), "-o", files.path("a.vec")])
        #expect(export.status == 0, "\(export.stderr)")
        let classifier = try Classifier(contentsOf: URL(fileURLWithPath: files.path("a.safetensors")))
        let ordinary = classifier.vocabulary.count - 2
        #expect(export.stderr == "wrote \(ordinary) vectors to \(files.path("a.vec"))\n")
        let lines = try String(contentsOfFile: files.path("a.vec"), encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "\(ordinary) 8")
        #expect(lines.count == ordinary + 1)
        #expect(!lines.contains { $0.hasPrefix("<pad> ") || $0.hasPrefix("<unk> ") })

        let second = try CommandLineRun(common + ["--pretrained-vectors", files.path("a.vec"), "-o", files.path("b.safetensors")])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("pretrained vectors cover \(ordinary) of \(ordinary) tokens (100.0%)"), "\(second.stderr)")
        // Each exported line holds the composed vector, values that read back exactly.
        let token = classifier.vocabulary.token(for: 2)
        let line = try #require(lines.first { $0.hasPrefix(token + " ") })
        #expect(line.split(separator: " ").dropFirst().map { Float(String($0))! } == classifier.vector(of: token))
    }

    @Test func composedVectorsAverageTheBagsRows() throws {
        let files = try TrainCommandTests.corpus(count: 200)
        let train = try CommandLineRun(["train", "--arch", "lstm", "--train", files.path("train.txt"), "--level", "space",
                                        "--dim", "4", "--hidden", "4", "--epochs", "1", "--minn", "3", "--maxn", "4",
                                        "--buckets", "97", "--quiet", "-o", files.path("m.safetensors")])
        #expect(train.status == 0, "\(train.stderr)")
        let file = try ModelFile(contentsOf: URL(fileURLWithPath: files.path("m.safetensors")))
        let classifier = try Classifier(file: file, name: "m")
        let table = try #require(file.tensors["embedding.weight"]).values
        let V = classifier.vocabulary.count
        func mean(_ rows: [Int]) -> [Float] {
            (0 ..< 4).map { j in rows.reduce(Float(0)) { $0 + table[$1 * 4 + j] } * (1 / Float(rows.count)) }
        }
        let known = classifier.vocabulary.token(for: 2)
        var subwords: [Int32] = []
        TokenHashing.appendSubwordRows(of: known, minn: 3, maxn: 4, firstRow: V, buckets: 97, to: &subwords)
        #expect(classifier.vector(of: known) == mean([2] + subwords.map(Int.init)))
        subwords = []
        TokenHashing.appendSubwordRows(of: "zzzzzzq", minn: 3, maxn: 4, firstRow: V, buckets: 97, to: &subwords)
        #expect(classifier.vector(of: "zzzzzzq") == mean(subwords.map(Int.init)))

        let words = files.write("words.txt", "zzzzzzq\n\n\(known)\n")
        let listed = try CommandLineRun(["export-vectors", "-m", files.path("m.safetensors"), "--words", words])
        #expect(listed.status == 0, "\(listed.stderr)")
        let lines = listed.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines[0] == "2 4" && lines[1].hasPrefix("zzzzzzq ") && lines[2].hasPrefix(known + " "))
    }

    @Test func withoutSubwordsAnUnknownWordGetsTheUnknownRow() throws {
        let files = try TrainCommandTests.corpus(count: 200)
        let train = try CommandLineRun(["train", "--arch", "pool", "--train", files.path("train.txt"), "--level", "space",
                                        "--dim", "4", "--epochs", "1", "--quiet", "-o", files.path("m.safetensors")])
        #expect(train.status == 0, "\(train.stderr)")
        let file = try ModelFile(contentsOf: URL(fileURLWithPath: files.path("m.safetensors")))
        let classifier = try Classifier(file: file, name: "m")
        let table = try #require(file.tensors["embedding.weight"]).values
        #expect(classifier.vector(of: "never-seen") == Array(table[4 ..< 8]))
        let missing = try CommandLineRun(["export-vectors", "-m", files.path("none.safetensors")])
        missing.expectOneLineError(startingWith: files.path("none.safetensors"), containing: "cannot read the model file")
    }
}
