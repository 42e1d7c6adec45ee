import Foundation
import Testing

@Suite("textclf generate")
struct GenerateCommandTests {
    @Test func containsIsReproducibleAndLabelsAreTrue() throws {
        let files = ScratchDirectory()
        for (name, quiet) in [("a.txt", true), ("b.txt", false)] {
            let run = try CommandLineRun(["generate", "contains", "--target", "a", "--count", "200", "--seed", "9",
                                          "-o", files.path(name)] + (quiet ? ["--quiet"] : []))
            #expect(run.status == 0 && run.stdout.isEmpty)
            #expect(run.stderr == (quiet ? "" : "wrote \(files.path(name)): 200 examples (fasttext)\n"))
        }
        let text = try String(contentsOfFile: files.path("a.txt"), encoding: .utf8)
        #expect(text == (try String(contentsOfFile: files.path("b.txt"), encoding: .utf8)))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 200)
        for line in lines {
            let parts = line.split(separator: " ")
            #expect(parts.count == 2 && parts[1].count == 6)
            #expect(parts[0] == (parts[1].contains("a") ? "__label__1" : "__label__0"))
        }
    }

    @Test func formatsFollowTheNameOrTheOption() throws {
        let files = ScratchDirectory()
        let common = ["generate", "count", "--target", "好", "--alphabet", "你好吗", "--min-length", "2", "--max-length", "4",
                      "--count", "3", "--seed", "2"]
        #expect(try CommandLineRun(common + ["-o", files.path("c.tsv")]).status == 0)
        #expect(try CommandLineRun(common + ["-o", files.path("c.jsonl")]).status == 0)
        let stdout = try CommandLineRun(common + ["--format", "jsonl"]).stdout
        let tsv = try String(contentsOfFile: files.path("c.tsv"), encoding: .utf8)
        let jsonl = try String(contentsOfFile: files.path("c.jsonl"), encoding: .utf8)
        #expect(jsonl == stdout)
        for (tsvLine, jsonLine) in zip(tsv.split(separator: "\n"), jsonl.split(separator: "\n")) {
            let fields = tsvLine.split(separator: "\t")
            #expect(String(fields[0]) == String(fields[1].filter { $0 == "好" }.count))
            #expect(jsonLine.contains("\"\(fields[1])\""))
        }
    }

    @Test func anUpperCaseExtensionIsWrittenAsReadersReadIt() throws {
        let files = ScratchDirectory()
        let generate = try CommandLineRun(["generate", "contains", "--target", "a", "--count", "50", "-o", files.path("x.TSV")])
        #expect(generate.status == 0)
        let written = try String(contentsOfFile: files.path("x.TSV"), encoding: .utf8)
        #expect(written.hasPrefix("0\t") || written.hasPrefix("1\t"), "\(written)")
        let vocab = try CommandLineRun(["build-vocab", "--level", "char", "--quiet", files.path("x.TSV")])
        #expect(vocab.status == 0, "\(vocab.stderr)")
        let csv = try CommandLineRun(["generate", "contains", "--target", "a", "-o", files.path("x.csv")])
        #expect(csv.status == 2 && csv.stderr.hasPrefix("Error: -o \(files.path("x.csv")) names a csv file"))
        #expect(files.listing() == ["x.TSV"])
    }

    @Test func positionLabelsTheFirstOccurrence() throws {
        let run = try CommandLineRun(["generate", "position", "--target", "x", "--alphabet", "xy", "--length", "4",
                                      "--count", "50", "--labels", "1,0", "--format", "tsv"])
        #expect(run.status == 0)
        for line in run.stdout.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            let expected = fields[1].firstIndex(of: "x").map { String(fields[1].distance(from: fields[1].startIndex, to: $0)) } ?? "none"
            #expect(String(fields[0]) == expected)
        }
    }

    @Test func badOptionsAreUsageErrors() throws {
        for arguments in [["--target", "ab"], ["--target", "a", "--positive-ratio", "2"], ["--target", "a", "--alphabet", "z-a"],
                          ["--target", "a", "--length", "3", "--min-length", "2", "--max-length", "4"],
                          ["--target", "a", "--labels", "yes"]] {
            let run = try CommandLineRun(["generate", "contains"] + arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
        }
        let onlyTarget = try CommandLineRun(["generate", "contains", "--target", "a", "--alphabet", "a"])
        onlyTarget.expectOneLineError(startingWith: "the alphabet holds no character other than the target")
    }
}
