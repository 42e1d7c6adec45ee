import Foundation
import Testing

/// End-to-end runs of the release binary (built by the README's test command).
@Suite("textclf build-vocab")
struct BuildVocabCommandTests {
    private let header = "#textclf-vocab 1 level=word lowercase=true normalize=none keep_punctuation=false\n"

    @Test func writesTheVocabularyFileAndASummary() throws {
        let files = ScratchDirectory()
        let corpus = files.write("c.txt", "__label__a The cat, the hat.\n__label__b A cat!\n")
        let run = try CommandLineRun(["build-vocab", "--lowercase", "-o", files.path("v.txt"), corpus])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == """
            read 2 examples from 1 file: 6 tokens, 4 distinct
            kept 4 tokens (level=word lowercase=true normalize=none keep_punctuation=false), coverage 100.00% of the tokens seen
            wrote \(files.path("v.txt")) (6 ids with <pad> and <unk>)

            """)
        #expect(try String(contentsOfFile: files.path("v.txt"), encoding: .utf8)
            == header + "<pad>\t0\n<unk>\t0\ncat\t2\nthe\t2\na\t1\nhat\t1\n")
        #expect(files.listing() == ["c.txt", "v.txt"])
    }

    @Test func withoutOutputTheVocabularyGoesToStdoutAndQuietSilencesTheSummary() throws {
        let files = ScratchDirectory()
        let corpus = files.write("c.tsv", "x\tb b a\ny\tc\n")
        let run = try CommandLineRun(["build-vocab", "--quiet", "--level", "space", "--min-count", "2", corpus])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout == "#textclf-vocab 1 level=space lowercase=false normalize=none keep_punctuation=false\n"
            + "<pad>\t0\n<unk>\t0\nb\t2\n")
    }

    @Test func invalidUTF8GivesOneWarning() throws {
        let files = ScratchDirectory()
        let corpus = files.write("c.txt", bytes: Array("ok \u{E9}".utf8) + [0xFF, 0x0A, 0xFE, 0x0A])
        let run = try CommandLineRun(["build-vocab", "-q", "--input-format", "text", corpus])
        #expect(run.status == 0)
        #expect(run.stderr == "textclf: warning: \(corpus): 2 invalid UTF-8 sequence(s) replaced by U+FFFD\n")
    }

    @Test func shippedVocabulariesAreReproducedFromTheShippedCorpora() throws {
        let builds: [(String, [String])] = [
            ("vocab/manpages_word.txt", ["--lowercase", "--min-count", "2", "corpora/manpages_langid/train.tsv"]),
            ("vocab/manpages_char.txt", ["--level", "char", "--lowercase", "corpora/manpages_langid/train.tsv"]),
            ("vocab/contains_a_char.txt", ["--level", "char", "corpora/contains_a/train.txt"]),
        ]
        for (file, arguments) in builds {
            let run = try CommandLineRun(["build-vocab", "-q"] + arguments)
            #expect(run.status == 0, "\(run.stderr)")
            let shipped = try String(contentsOf: TestPaths.repository.appendingPathComponent(file), encoding: .utf8)
            #expect(run.stdout == shipped, "\(file) differs from a fresh build")
        }
    }

    @Test func badInputGivesOneErrorLineExitOneAndNoOutputFile() throws {
        let files = ScratchDirectory()
        files.write("dir/label/1.txt", "text")
        let cases: [(arguments: [String], prefix: String, fragment: String)] = [
            ([files.path("missing.txt")], "cannot open \(files.path("missing.txt"))", "No such file"),
            (["--input-format", "tsv", files.path("dir")], "\(files.path("dir")) is a directory", ""),
            ([files.write("empty.txt", "")], "\(files.path("empty.txt")): the corpus holds no examples", ""),
            ([files.write("blank.tsv", "\n\n")], "\(files.path("blank.tsv")): the corpus holds no examples", ""),
            ([files.write("a.csv", "label,body\nx,y\n")], "\(files.path("a.csv")):1: the CSV header has no 'text' column", ""),
            ([files.write("b.jsonl", "{\"text\":\"a\",\"label\":\"x\"}\n{\"text\": \"b\", label: 1}\n")],
             "\(files.path("b.jsonl")):2: invalid JSON", "expected a quoted key"),
            ([files.write("c.txt", "__label__x fine\nno label\n")], "\(files.path("c.txt")):2: no __label__", ""),
        ]
        for (arguments, prefix, fragment) in cases {
            let run = try CommandLineRun(["build-vocab", "-o", files.path("out.txt")] + arguments)
            run.expectOneLineError(startingWith: prefix, containing: fragment)
            #expect(!files.listing().contains { $0.hasPrefix("out.txt") || $0.hasPrefix(".out.txt") },
                    "output left behind for \(arguments)")
        }
        let good = files.write("good.txt", "__label__x fine\n")
        let toDirectory = try CommandLineRun(["build-vocab", "-o", files.path("dir"), good])
        toDirectory.expectOneLineError(startingWith: "\(files.path("dir")) is a directory")
        let noDirectory = try CommandLineRun(["build-vocab", "-o", files.path("nowhere/v.txt"), good])
        noDirectory.expectOneLineError(startingWith: "cannot write \(files.path("nowhere/v.txt"))")
    }

    @Test func usageErrorsExitTwo() throws {
        for arguments in [["build-vocab"], ["build-vocab", "--level", "bogus", "x"],
                          ["build-vocab", "--min-count", "0", "x"], ["build-vocab", "--no-such-option", "x"],
                          ["no-such-command"]] {
            let run = try CommandLineRun(arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("Error: "), "\(arguments)")
            #expect(run.stdout.isEmpty)
        }
    }

    @Test func versionNamesTextclfAndICU() throws {
        let run = try CommandLineRun(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("textclf 0.1.0 (ICU ") && run.stdout.hasSuffix(")\n"))
    }
}
