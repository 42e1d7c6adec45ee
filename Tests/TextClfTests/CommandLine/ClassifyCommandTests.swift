import Foundation
import Testing

/// classify and test end to end on a model trained once per suite run.
@Suite("textclf classify and test")
struct ClassifyCommandTests {
    /// A directory with `train.txt` (contains-a, char level), `spam.tsv` (two words decide) and
    /// the models trained on them (with Adam at 0.05, which these small corpora need, instead
    /// of pool's SGD defaults).
    static let workspace: ScratchDirectory = {
        let files = try! TrainCommandTests.corpus(count: 600, seed: 21)
        let adam = ["--optimizer", "adam", "--lr", "0.05", "--lr-schedule", "constant", "--dropout", "0.1"]
        _ = try! CommandLineRun(["train", "--arch", "pool", "--level", "char", "--train", files.path("train.txt"),
                                 "--epochs", "8", "--quiet", "-o", files.path("m.safetensors")] + adam)
        var multi = ""
        for i in 0..<300 {
            let mask = i % 7 + 1  // every example carries at least one of the three labels
            let words = ["red", "blue", "green"].enumerated().filter { (mask >> $0.offset) & 1 == 1 }.map(\.element)
            multi += words.map { "__label__\($0)" }.joined(separator: " ") + " " + (words + ["x\(i % 5)"]).joined(separator: " ") + "\n"
        }
        files.write("multi.txt", multi)
        _ = try! CommandLineRun(["train", "--arch", "pool", "--multilabel", "--level", "space", "--train", files.path("multi.txt"),
                                 "--epochs", "30", "--quiet", "-o", files.path("multi.safetensors")] + adam)
        return files
    }()

    /// Classifies `input`, written to a file of its own: the tests of this suite run in parallel.
    func classify(_ arguments: [String], input: String) throws -> CommandLineRun {
        let files = Self.workspace
        let path = files.write("input-\(UUID().uuidString).txt", input)
        return try CommandLineRun(["classify", "-m", files.path("m.safetensors")] + arguments + [path])
    }

    @Test func everyInputLineGivesOneOutputLineInOrder() throws {
        let run = try classify(["--k", "2"], input: "__label__1 xyzab\n\nqqq\n!!!\naaaa")
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6 && lines[5].isEmpty)
        let first = lines[0].split(separator: "\t", omittingEmptySubsequences: false)
        #expect(first.count == 5 && first[0] == "1" && first[2] == "0" && first[4] == "xyzab")
        #expect(Double(first[1])! + Double(first[3])! > 0.999999)
        #expect(first[1].split(separator: ".")[1].count == 6)
        #expect(lines[1] == "\t\t")
        #expect(lines[2].hasPrefix("0\t") && lines[2].hasSuffix("\tqqq"))
        #expect(lines[4].hasPrefix("1\t"))
    }

    @Test func formatsShowTheSamePrediction() throws {
        let input = "abc\nzzz\n\n"
        let tsv = try classify(["--no-text"], input: input).stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let jsonl = try classify(["--format", "jsonl"], input: input).stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let fasttext = try classify(["--format", "fasttext"], input: input).stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let fields = tsv[0].split(separator: "\t")
        #expect(jsonl[0] == "{\"labels\":[\"\(fields[0])\"],\"probabilities\":[\(fields[1])],\"text\":\"abc\"}")
        #expect(fasttext[0] == "__label__\(fields[0]) \(fields[1])")
        #expect(jsonl[2] == "{\"labels\":[],\"probabilities\":[],\"text\":\"\"}")
        #expect(fasttext[2] == "" && tsv[2] == "\t")
        let all = try classify(["--all-probabilities", "--format", "fasttext"], input: "abc\n").stdout
        #expect(all.hasPrefix("__label__0 ") && all.contains(" __label__1 "))
    }

    @Test func thresholdAndKFilterLabels() throws {
        // Two probabilities summing to 1: above 0.5 only the best can pass.
        let high = try classify(["--threshold", "0.5", "--k", "2"], input: "abc\n").stdout
        #expect(high.hasPrefix("1\t") && high.split(separator: "\t").count == 3)
        let multi = try CommandLineRun(["classify", "-m", Self.workspace.path("multi.safetensors"), "--format", "fasttext", "--no-text",
                                        Self.workspace.write("m.txt", "red blue\ngreen\nx1\n")])
        let lines = multi.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(Set(lines[0].split(separator: " ").filter { $0.hasPrefix("__label__") }) == ["__label__red", "__label__blue"])
        #expect(lines[1].hasPrefix("__label__green ") && lines[1].split(separator: " ").count == 2)
        #expect(lines[2] == "")
    }

    @Test func outputIsTheSameForAnyThreadCountAndFromStandardInput() throws {
        var text = ""
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<700 { text += String((0..<Int.random(in: 0...12, using: &rng)).map { _ in "abcdefghij".randomElement(using: &rng)! }) + "\n" }
        let path = Self.workspace.write("threads.txt", text)
        let model = Self.workspace.path("m.safetensors")
        let one = try CommandLineRun(["classify", "-m", model, "--threads", "1", "--batch-size", "100", path]).stdout
        let two = try CommandLineRun(["classify", "-m", model, "--threads", "2", path]).stdout
        #expect(one == two)
        #expect(one.split(separator: "\n", omittingEmptySubsequences: false).count == 701)
        let process = Process()
        process.executableURL = try TestPaths.cli
        process.arguments = ["classify", "-m", Self.workspace.path("m.safetensors")]
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let piped = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(piped == one)
    }

    @Test func invalidUTF8IsRepairedWithOneWarning() throws {
        let path = Self.workspace.write("bad.txt", bytes: Array("ab".utf8) + [0xFF, 0x0A] + [0xC3, 0x0A])
        let run = try CommandLineRun(["classify", "-m", Self.workspace.path("m.safetensors"), path])
        #expect(run.status == 0)
        #expect(run.stdout.split(separator: "\n").count == 2 && run.stdout.contains("ab\u{FFFD}"))
        #expect(run.stderr == "textclf: warning: \(path): 2 invalid UTF-8 sequence(s) replaced by U+FFFD\n")
    }

    @Test func closedPipeEndsQuietly() throws {
        let lines = String(repeating: "abcabc\n", count: 200_000)
        Self.workspace.write("big.txt", lines)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        let cli = try TestPaths.cli.path
        shell.arguments = ["-c", "'\(cli)' classify -m '\(Self.workspace.path("m.safetensors"))' '\(Self.workspace.path("big.txt"))' | head -n 1; echo \"status ${PIPESTATUS:-}\""]
        let out = Pipe(), err = Pipe()
        shell.standardOutput = out
        shell.standardError = err
        try shell.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(stdout.hasPrefix("1\t"))
        #expect(stderr.isEmpty, "\(stderr)")
    }

    @Test func badModelsAndInputsAreOneLineErrors() throws {
        let files = Self.workspace
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: files.path("m.safetensors"))))
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        for (name, content, message) in [("t.safetensors", Array(bytes.prefix(40)), "the model file is truncated"),
                                         ("f.safetensors", flipped, "the model file is corrupted (checksum mismatch)"),
                                         ("x.safetensors", Array("hello\n".utf8), "not a textclf model file")] {
            let path = files.write(name, bytes: content)
            try CommandLineRun(["classify", "-m", path, files.path("train.txt")]).expectOneLineError(startingWith: "\(path): \(message)")
            try CommandLineRun(["test", "-m", path, files.path("train.txt")]).expectOneLineError(startingWith: "\(path): \(message)")
        }
        try CommandLineRun(["classify", "-m", files.path("m.safetensors"), files.path("absent.txt")])
            .expectOneLineError(startingWith: "cannot open \(files.path("absent.txt"))")
        let unknown = files.write("unknown.txt", "__label__1 abc\n__label__maybe xyz\n")
        try CommandLineRun(["test", "-m", files.path("m.safetensors"), unknown])
            .expectOneLineError(startingWith: "\(unknown):2: label 'maybe' is not one of the model's labels")
    }

    @Test func testReportsTheMetricsAsJSON() throws {
        let files = Self.workspace
        let run = try CommandLineRun(["test", "-m", files.path("m.safetensors"), files.path("train.txt"), "--json", "--worst", "3", "--k", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        for key in ["examples", "accuracy", "loss", "per_label", "macro", "weighted", "precision_at_k", "recall_at_k", "confusion", "worst", "mcc"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["examples"] as? Int == 600)
        #expect((object["accuracy"] as? Double ?? 0) > 0.9)
        let confusion = object["confusion"] as! [String: Any]
        #expect(confusion["labels"] as? [String] == ["0", "1"])
        #expect((confusion["matrix"] as? [[Int]])?.flatMap { $0 }.reduce(0, +) == 600)
        #expect((object["worst"] as? [Any])?.count == 3)
        #expect(object["recall_at_k"] as? Double == 1)
        let text = try CommandLineRun(["test", "-m", files.path("m.safetensors"), files.path("train.txt"), "--worst", "3"]).stdout
        #expect(text.contains("accuracy") && text.contains("confusion (rows: true, columns: predicted)") && text.contains("MCC"))
        // The worst examples, by line number as in the JSON, with the numbers right-aligned.
        let worstLines = (object["worst"] as! [[String: Any]]).map { $0["line"] as! Int }
        let listed = text.split(separator: "\n").drop { $0 != "worst 3 by loss" }.dropFirst()
        #expect(listed.map { Int($0.split(separator: " ")[1]) } == worstLines)
        #expect(Set(listed.map { $0.range(of: "  loss")!.lowerBound.utf16Offset(in: $0) }).count == 1, "\(listed)")
    }

    @Test func multiLabelTestReportsExactMatchAndF1() throws {
        let files = Self.workspace
        let run = try CommandLineRun(["test", "-m", files.path("multi.safetensors"), files.path("multi.txt"), "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect((object["accuracy"] as? Double ?? 0) > 0.9)
        #expect(object["micro_f1"] != nil && object["macro_f1"] != nil && object["mcc"] == nil)
    }
}
