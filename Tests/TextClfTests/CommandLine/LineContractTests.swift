import Foundation
import Testing

/// The contract that lets `classify` run as a Unix filter under drivers such as Spark's
/// `RDD.pipe`: one result line per input line in order, data alone on standard output, a
/// non-zero exit on any error, and the model read once when the process starts.
@Suite("classify's line contract")
struct LineContractTests {
    /// Two char-level pool models with disjoint labels: `a.safetensors` (does a line contain
    /// `a`: labels 1/0) and `b.safetensors` (does it contain `b`: labels hasb/nob), so an answer
    /// shows which model gave it.
    static let workspace: ScratchDirectory = {
        let files = ScratchDirectory()
        for (name, target, labels) in [("a", "a", "1,0"), ("b", "b", "hasb,nob")] {
            _ = try! CommandLineRun(["generate", "contains", "--target", target, "--labels", labels, "--count", "400",
                                     "--seed", "3", "-o", files.path("\(name).txt")])
            _ = try! CommandLineRun(["train", "--arch", "pool", "--level", "char", "--dim", "8", "--epochs", "3",
                                     "--lr", "0.05", "--quiet", "--train", files.path("\(name).txt"),
                                     "-o", files.path("\(name).safetensors")])
        }
        return files
    }()

    static let modelA = workspace.path("a.safetensors")
    static let modelB = workspace.path("b.safetensors")

    /// Lines of a-to-f strings, a fifth of them empty, one of spaces only (tokens at char level).
    static func sampleLines(_ count: Int) -> [String] {
        var generator = SystemRandomNumberGenerator()
        var lines = (0..<count).map { index -> String in
            if index % 5 == 2 { return "" }
            return String((0..<Int.random(in: 1...10, using: &generator)).map { _ in "abcdef".randomElement(using: &generator)! })
        }
        lines[min(7, count - 1)] = "   "
        return lines
    }

    /// The text field of a tsv result line (the last field).
    static func text(of result: Substring) -> Substring {
        result.split(separator: "\t", omittingEmptySubsequences: false).last ?? ""
    }

    @Test func everyInputLineGivesOneResultLineInOrderAcrossBatchesAndFiles() throws {
        let files = Self.workspace
        let first = Self.sampleLines(1_003), second = Self.sampleLines(10)
        // The second file has no final newline: its last line still counts.
        let paths = [files.write("first-\(UUID()).txt", first.joined(separator: "\n") + "\n"),
                     files.write("second-\(UUID()).txt", second.joined(separator: "\n"))]
        for batch in ["1", "7", "512"] {
            let run = try CommandLineRun(["classify", "-m", Self.modelA, "--batch-size", batch] + paths)
            #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
            var results = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(results.removeLast() == "", "the output ends with a newline")
            #expect(results.map { String(Self.text(of: $0)) } == first + second, "batch size \(batch)")
            for (result, line) in zip(results, first + second) where line.isEmpty {
                #expect(result == "\t\t", "an empty line gets empty label fields")
            }
        }
    }

    @Test func standardOutputHoldsOnlyResultLinesWhenThereAreWarnings() throws {
        let files = Self.workspace
        // Invalid UTF-8 and a line beyond the model's maximum length each cause a warning.
        let long = String(repeating: "ab", count: 400)
        let path = files.write("warn-\(UUID()).txt", bytes: Array("abc\n".utf8) + [0xFF, 0x0A] + Array("\(long)\n\nxyz\n".utf8))
        let run = try CommandLineRun(["classify", "-m", Self.modelA, path])
        #expect(run.status == 0)
        let results = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(results.count == 5)
        for result in results {
            let fields = result.split(separator: "\t", omittingEmptySubsequences: false)
            #expect(fields.count == 3 && ["1", "0", ""].contains(fields[0]) && (fields[1].isEmpty || Double(fields[1]) != nil), "\(result)")
        }
        let warnings = run.stderr.split(separator: "\n")
        #expect(warnings.count == 2 && warnings.allSatisfy { $0.hasPrefix("textclf: warning: ") }, "\(run.stderr)")
    }

    @Test func everyErrorExitsNonZeroWithItsMessageOnStandardError() throws {
        let files = Self.workspace
        let input = files.write("input-\(UUID()).txt", "abc\nxyz\n")
        let corrupt = files.write("corrupt.safetensors", bytes: Array("not a model\n".utf8))
        let cases: [(arguments: [String], status: Int32)] = [
            (["classify", "-m", files.path("absent.safetensors"), input], 1),
            (["classify", "-m", corrupt, input], 1),
            (["classify", "-m", Self.modelA, files.path("absent.txt")], 1),
            (["classify", "-m", Self.modelA, "--k", "0", input], 2),
            (["classify", input], 2),
        ]
        for (arguments, status) in cases {
            let run = try CommandLineRun(arguments)
            #expect(run.status == status, "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(arguments)")
            // Runtime errors are one line; usage errors add the usage after their first line.
            let tag = status == 1 ? "textclf: error: " : "Error: "
            #expect(run.stderr.hasPrefix(tag), "\(arguments): \(run.stderr)")
            #expect(status == 2 || run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
        }
    }

    @Test func aReadErrorAfterOutputBeganStillExitsNonZero() throws {
        // The first file is classified and written; reading the second fails (reading a
        // process's own memory at offset 0 is an I/O error).
        let input = Self.workspace.write("before-\(UUID()).txt", "abc\nxyz\n")
        let run = try CommandLineRun(["classify", "-m", Self.modelA, input, "/proc/self/mem"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").count == 2)
        #expect(run.stderr == "textclf: error: cannot read /proc/self/mem: Input/output error\n")
    }

    @Test func aFullOutputDeviceIsAnError() throws {
        let files = Self.workspace
        let input = files.write("full-\(UUID()).txt", String(repeating: "abc\n", count: 10_000))
        let process = Process()
        process.executableURL = try TestPaths.cli
        process.arguments = ["classify", "-m", Self.modelA, input]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(stderr.hasPrefix("textclf: error: ") && stderr.split(separator: "\n").count == 1, "\(stderr)")
    }

    /// Feeds standard input through a pipe this test holds, replaces the model file in place
    /// and then deletes it once the first answers are back, and expects the rest of the lines
    /// still answered by the model as it was when the process started.
    @Test func theModelIsReadOnceWhenTheProcessStarts() throws {
        let files = Self.workspace
        let lines = Self.sampleLines(40)
        let input = lines.joined(separator: "\n") + "\n"
        let inputPath = files.write("once-\(UUID()).txt", input)
        let model = files.path("swapped-\(UUID()).safetensors")
        try FileManager.default.copyItem(atPath: Self.modelA, toPath: model)
        let expected = try CommandLineRun(["classify", "-m", Self.modelA, inputPath]).stdout
        let otherModel = try CommandLineRun(["classify", "-m", Self.modelB, inputPath]).stdout
        #expect(expected != otherModel, "the two models must answer differently for the test to mean anything")

        let process = Process()
        process.executableURL = try TestPaths.cli
        process.arguments = ["classify", "-m", model, "--batch-size", "4"]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // A hung child would block the reads below; ending it turns a hang into a failure.
        let deadline = DispatchTime.now() + 60
        DispatchQueue.global().asyncAfter(deadline: deadline) { if process.isRunning { process.terminate() } }

        let half = lines.count / 2
        stdin.fileHandleForWriting.write(Data((lines[..<half].joined(separator: "\n") + "\n").utf8))
        var received = Data()
        while received.filter({ $0 == 0x0A }).count < half {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
        }
        #expect(received.filter { $0 == 0x0A }.count == half, "the first half was answered before the swap")

        // Same inode, new bytes (what `cp` over the file does), then no file at all.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: model))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(contentsOf: URL(fileURLWithPath: Self.modelB)))
        try handle.close()
        try FileManager.default.removeItem(atPath: model)

        stdin.fileHandleForWriting.write(Data((lines[half...].joined(separator: "\n") + "\n").utf8))
        try stdin.fileHandleForWriting.close()
        received.append(stdout.fileHandleForReading.readDataToEndOfFile())
        let messages = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(messages)")
        #expect(String(decoding: received, as: UTF8.self) == expected)
    }
}
