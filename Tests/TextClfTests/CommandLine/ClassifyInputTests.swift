import Foundation
import Testing

/// classify on record formats (--input-format) and on input that arrives slowly.
extension ClassifyCommandTests {
    @Test func recordFormatsClassifyTheTextFieldWithoutItsLabels() throws {
        let model = Self.workspace.path("m.safetensors")
        let texts = try classify(["--no-text"], input: "xyzab\nqqq\nabc\n").stdout
        let tsv = Self.workspace.write("records-\(UUID().uuidString).tsv", "1\txyzab\n\n0\tqqq\n1\tabc\n")
        let fromTSV = try CommandLineRun(["classify", "-m", model, "--input-format", "tsv", "--no-text", tsv])
        #expect(fromTSV.status == 0 && fromTSV.stdout == texts, "\(fromTSV.stderr)")
        let csv = Self.workspace.write("records-\(UUID().uuidString).csv", "text,label\nxyzab,1\n\"qqq\",0\nabc,1\n")
        #expect(try CommandLineRun(["classify", "-m", model, "--input-format", "csv", "--no-text", csv]).stdout == texts)
        let jsonl = Self.workspace.write("records-\(UUID().uuidString).jsonl",
                                         #"{"text":"xyzab","label":"1"}"# + "\n" + #"{"text":"qqq","labels":["0"]}"# + "\n"
                                         + #"{"label":1,"text":"abc"}"# + "\n")
        #expect(try CommandLineRun(["classify", "-m", model, "--input-format", "jsonl", "--no-text", jsonl]).stdout == texts)
        let fasttext = Self.workspace.write("records-\(UUID().uuidString).txt", "__label__1 xyzab\n__label__0\u{0B}qqq\n__label__1 abc\n")
        #expect(try CommandLineRun(["classify", "-m", model, "--input-format", "fasttext", "--no-text", fasttext]).stdout == texts)
        // As plain text, a __label__ token is part of the text.
        let plain = try CommandLineRun(["classify", "-m", model, "--input-format", "text", fasttext]).stdout
        #expect(plain.split(separator: "\n").first?.hasSuffix("\t__label__1 xyzab") == true)
    }

    @Test func recordTextsStayOnOneEscapedLine() throws {
        let csv = Self.workspace.write("escape-\(UUID().uuidString).csv", "label,text\n1,\"two\nlines\"\n0,\"tab\there\\\"\n")
        let run = try CommandLineRun(["classify", "-m", Self.workspace.path("m.safetensors"), "--input-format", "csv", csv])
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty, "\(run.stdout)")
        #expect(lines[0].hasSuffix("\ttwo\\nlines"))
        #expect(lines[1].hasSuffix("\ttab\\there\\\\"))
        let jsonl = try CommandLineRun(["classify", "-m", Self.workspace.path("m.safetensors"), "--input-format", "csv",
                                        "--format", "jsonl", csv]).stdout
        #expect(jsonl.contains(#""text":"two\nlines""#))
    }

    @Test func aTSVLineWithoutTabIsAnErrorNamingItsLine() throws {
        let path = Self.workspace.write("bad-\(UUID().uuidString).tsv", "1\tabc\nno tab here\n")
        let run = try CommandLineRun(["classify", "-m", Self.workspace.path("m.safetensors"), "--input-format", "tsv", path])
        #expect(run.status == 1)
        #expect(run.stderr == "textclf: error: \(path):2: no tab between label and text (TSV format)\n")
        let dir = try CommandLineRun(["classify", "-m", Self.workspace.path("m.safetensors"), "--input-format", "dir", path])
        #expect(dir.status == 2 && dir.stderr.hasPrefix("Error: The value 'dir' is invalid for '--input-format <input-format>'"))
    }

    /// `(echo banana; sleep; echo xyz) | textclf classify`: the first answer must come while the
    /// writer still holds the pipe open, before any more input exists.
    @Test(.timeLimit(.minutes(2)))
    func aPausedInputGetsItsAnswersBeforeMoreArrives() throws {
        let process = Process()
        process.executableURL = try TestPaths.cli
        process.arguments = ["classify", "-m", Self.workspace.path("m.safetensors"), "--threads", "2", "--batch-size", "512"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        try input.fileHandleForWriting.write(contentsOf: Data("banana\n\nabc".utf8))
        let first = try Self.readLines(2, from: output.fileHandleForReading, seconds: 60)
        #expect(first.count == 2, "no answer while the input paused: \(first)")
        try input.fileHandleForWriting.write(contentsOf: Data("\nxyz\n".utf8))
        try input.fileHandleForWriting.close()
        let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let whole = try classify([], input: "banana\n\nabc\nxyz\n").stdout
        #expect(first.joined() + rest == whole)
    }

    /// Reads until `count` whole lines have arrived or `seconds` pass without them.
    static func readLines(_ count: Int, from handle: FileHandle, seconds: Double) throws -> [String] {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        while bytes.filter({ $0 == 0x0A }).count < count {
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            var request = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard left > 0, poll(&request, 1, left) > 0 else { break }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(handle.fileDescriptor, &chunk, chunk.count)
            guard n > 0 else { break }
            bytes += chunk[..<n]
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map { $0 + "\n" }
    }
}
