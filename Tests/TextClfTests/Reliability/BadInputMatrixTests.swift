import Foundation
import Testing
@testable import TextClf

/// SPEC §5's bad-input matrix, end to end through the release binary, for every command: each
/// bad input is exit 1 (2 for usage) with one `textclf: error:` line, no crash, and no file
/// left behind; inputs that are merely odd (invalid UTF-8, huge lines, empty input to classify)
/// succeed.
@Suite("bad-input matrix")
struct BadInputMatrixTests {
    /// A scratch directory holding a small corpus, a vocabulary and a model trained on it.
    final class Workspace: Sendable {
        let files = ScratchDirectory()
        var corpus: String { files.path("train.txt") }
        var vocabulary: String { files.path("v.txt") }
        var model: String { files.path("m.safetensors") }

        init() throws {
            for arguments in [["generate", "contains", "--target", "a", "--count", "200", "-o", files.path("train.txt")],
                              ["build-vocab", "--level", "char", "--quiet", "-o", files.path("v.txt"), files.path("train.txt")],
                              ["train", "--arch", "pool", "--level", "char", "--dim", "4", "--epochs", "1", "--quiet",
                               "--train", files.path("train.txt"), "-o", files.path("m.safetensors")]] {
                let run = try CommandLineRun(arguments)
                #expect(run.status == 0, "\(arguments): \(run.stderr)")
            }
        }

        /// Runs `arguments` and expects exit `status` with one error line containing `fragment`,
        /// and the directory listing unchanged (no partial output, no temporary file).
        func expectError(_ arguments: [String], status: Int32 = 1, containing fragment: String,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
            let before = files.listing()
            let run = try CommandLineRun(arguments)
            #expect(run.status == status, "\(arguments): \(run.stderr)", sourceLocation: sourceLocation)
            let first = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(status == 2 || run.stderr.split(separator: "\n").count == 1, "one line: \(run.stderr)",
                    sourceLocation: sourceLocation)
            #expect(first.contains(fragment), "\(arguments): \(run.stderr)", sourceLocation: sourceLocation)
            #expect(status == 2 ? first.hasPrefix("Error: ") : first.hasPrefix("textclf: error: "), "\(run.stderr)",
                    sourceLocation: sourceLocation)
            #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Stack dump"), sourceLocation: sourceLocation)
            #expect(files.listing() == before, "\(arguments) left files behind", sourceLocation: sourceLocation)
        }

        /// Every command that reads `path` as its input file.
        func readers(of path: String) -> [[String]] {
            [["build-vocab", "--quiet", path],
             ["train", "--arch", "pool", "--train", path, "-o", files.path("out.safetensors")],
             ["train", "--arch", "pool", "--train", corpus, "--valid", path, "-o", files.path("out.safetensors")],
             ["test", "-m", model, path],
             ["classify", "-m", model, path],
             ["quantize", "-m", model, "-o", files.path("q.safetensors"), "--retrain", "--train", path]]
        }

        /// Every command that reads `path` as a model or vocabulary file.
        func modelReaders(of path: String) -> [[String]] {
            [["info", "-m", path], ["classify", "-m", path, corpus], ["test", "-m", path, corpus],
             ["quantize", "-m", path, "-o", files.path("q.safetensors")]]
        }
    }

    @Test func missingFilesDirectoriesAndUnreadableFiles() throws {
        let w = try Workspace()
        let missing = w.files.path("absent.txt")
        for arguments in w.readers(of: missing) { try w.expectError(arguments, containing: "cannot open \(missing)") }
        for arguments in w.modelReaders(of: missing) { try w.expectError(arguments, containing: "\(missing): cannot read") }
        try w.expectError(["train", "--arch", "pool", "--train", w.corpus, "--vocab", missing, "-o", w.files.path("o")],
                          containing: "cannot open \(missing)")
        let directory = w.files.path("folder")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try w.expectError(["classify", "-m", w.model, directory], containing: "\(directory) is a directory")
        try w.expectError(["test", "-m", w.model, directory], containing: directory)
        try w.expectError(["train", "--arch", "pool", "--train", directory, "-o", w.files.path("o")], containing: directory)
        for arguments in w.modelReaders(of: directory) { try w.expectError(arguments, containing: directory) }
        // Root reads any file whatever its mode, so an unreadable file is one whose reads fail:
        // /proc/self/mem opens, and reading its first page (never mapped) fails with EIO.
        let unreadable: String
        if getuid() == 0 {
            unreadable = "/proc/self/mem"
        } else {
            unreadable = w.files.write("locked.txt", "__label__a x\n")
            chmod(unreadable, 0)
        }
        for arguments in w.readers(of: unreadable) { try w.expectError(arguments, containing: unreadable) }
        for arguments in w.modelReaders(of: unreadable) { try w.expectError(arguments, containing: unreadable) }
    }

    @Test func emptyBlankOneLabelGarbageAndMalformedCorpora() throws {
        let w = try Workspace()
        let empty = w.files.write("empty.txt", "")
        let blank = w.files.write("blank.txt", "\n\n  \n\n")
        let oneLabel = w.files.write("one.txt", "__label__x abc\n__label__x def\n")
        var generator = SeededGenerator(seed: 3)
        let garbage = w.files.write("garbage.bin", bytes: (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        let train = { (path: String) in ["train", "--arch", "pool", "--train", path, "--epochs", "1", "-o", w.files.path("o")] }
        try w.expectError(train(empty), containing: "\(empty): the corpus holds no examples")
        try w.expectError(train(blank), containing: "\(blank): no labels found")
        try w.expectError(train(oneLabel), containing: "training needs at least two labels, found 'x'")
        try w.expectError(train(garbage), containing: garbage)
        try w.expectError(["test", "-m", w.model, empty], containing: "\(empty): the corpus holds no examples")
        try w.expectError(["test", "-m", w.model, oneLabel], containing: "\(oneLabel):1: label 'x' is not one of the model's labels")
        let retrain = { (path: String) in ["quantize", "-m", w.model, "-o", w.files.path("q"), "--retrain", "--train", path] }
        try w.expectError(retrain(empty), containing: "\(empty): the corpus holds no examples")
        try w.expectError(retrain(blank), containing: "\(blank): no labels found")
        try w.expectError(retrain(oneLabel), containing: "\(oneLabel):1: label 'x' is not one of the model's labels")
        try w.expectError(retrain(garbage), containing: garbage)
        try w.expectError(["test", "-m", w.model, garbage], containing: garbage)
        try w.expectError(["build-vocab", "--quiet", empty], containing: empty)
        for model in [empty, blank, garbage] {
            for arguments in w.modelReaders(of: model) { try w.expectError(arguments, containing: model) }
        }
        try w.expectError(["train", "--arch", "pool", "--train", w.corpus, "--vocab", garbage, "-o", w.files.path("o")],
                          containing: "\(garbage):1:")
        let malformed: [(String, String, String)] = [
            ("bad.txt", "__label__a x\n__label__b y\n__label__ z\n", ":3: empty label after __label__"),
            ("bad2.txt", "__label__a x\n__label__b y\nno label here\n", ":3: no __label__ at the start of the line"),
            ("bad.tsv", "a\tx\nb\ty\nno tab\n", ":3: no tab between label and text"),
            ("bad.csv", "text,label\nx,a\n\"open,b\n", ":3:"),
            ("nolabel.csv", "text,other\nx,a\n", ":1: the CSV header has no 'label' column"),
            ("bad.jsonl", "{\"text\":\"x\",\"label\":\"a\"}\n{\"text\":\"y\",\"label\":\"b\"}\n{\"text\": 1,\n", ":3: "),
            ("bad2.jsonl", "{\"text\":\"x\",\"label\":\"a\"}\n{\"text\":\"y\"}\n", ":2: "),
        ]
        for (name, contents, message) in malformed {
            let path = w.files.write(name, contents)
            try w.expectError(train(path), containing: path + message)
            try w.expectError(["build-vocab", "--quiet", path], containing: path + message)
        }
    }

    /// Odd but valid input is not an error: classify answers every line.
    @Test func invalidUTF8BlankLinesAndAFiftyMegabyteLineAreClassified() throws {
        let w = try Workspace()
        let long = w.files.write("long.txt", bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 50_000_000) + [0x0A])
        let run = try CommandLineRun(["classify", "-m", w.model, long, "--no-text"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n", omittingEmptySubsequences: false).count == 2)
        let vocab = try CommandLineRun(["build-vocab", "--level", "space", "--quiet", long])
        #expect(vocab.status == 0 && vocab.stdout.contains("\t1\n"))
        let mixed = w.files.write("mixed.txt", bytes: Array("ok\n\n".utf8) + [0xC3, 0x28, 0xFF, 0x0A] + Array("   \n".utf8))
        let classified = try CommandLineRun(["classify", "-m", w.model, mixed, "--no-text"])
        #expect(classified.status == 0)
        #expect(classified.stdout.split(separator: "\n", omittingEmptySubsequences: false).count == 5)
        #expect(classified.stderr.contains("invalid UTF-8"))
        let empty = try CommandLineRun(["classify", "-m", w.model, w.files.write("e.txt", "")])
        #expect(empty.status == 0 && empty.stdout.isEmpty)
    }

    @Test func unknownOptionsAndOutOfRangeValuesAreUsageErrors() throws {
        let w = try Workspace()
        let commands: [[String]] = [
            ["generate", "contains", "--target", "a"], ["build-vocab", w.corpus], ["info", "-m", w.model],
            ["train", "--arch", "pool", "--train", w.corpus, "-o", w.files.path("o")],
            ["test", "-m", w.model, w.corpus], ["classify", "-m", w.model, w.corpus],
            ["quantize", "-m", w.model, "-o", w.files.path("o")],
        ]
        for command in commands { try w.expectError(command + ["--no-such-option"], status: 2, containing: "--no-such-option") }
        let outOfRange: [([String], String)] = [
            (["train", "--arch", "pool", "--train", w.corpus, "-o", w.files.path("o"), "--lr", "-1"], "--lr"),
            (["train", "--arch", "pool", "--train", w.corpus, "-o", w.files.path("o"), "--dropout", "1.5"], "--dropout"),
            (["train", "--arch", "pool", "--train", w.corpus, "-o", w.files.path("o"), "--threads", "0"], "--threads"),
            (["train", "--arch", "pool", "--train", w.corpus, "-o", w.files.path("o"), "--clip", "-0.5"], "--clip"),
            (["train", "--arch", "pool", "--train", w.corpus, "-o", w.files.path("o"), "--momentum", "-.5"], "--momentum"),
            (["train", "--arch", "pool", "--train", w.corpus, "-o", w.files.path("o"), "--epochs", "-3"], "--epochs"),
            (["train", "--arch", "pool", "--train", w.corpus, "-o", w.files.path("o"), "--weight-decay", "-1e-2"], "--weight-decay"),
            (["train", "--arch", "cnn", "--train", w.corpus, "-o", w.files.path("o"), "--kernel-sizes", "3,5000"], "--kernel-sizes"),
            (["classify", "-m", w.model, "--threads", "0"], "--threads"),
            (["classify", "-m", w.model, "--k", "-2"], "--k"),
            (["classify", "-m", w.model, "--batch-size", "-1"], "--batch-size"),
            (["classify", "-m", w.model, "--threshold", "-0.1"], "--threshold"),
            (["test", "-m", w.model, w.corpus, "--worst", "-1"], "--worst"),
            (["generate", "contains", "--target", "a", "--count", "-5"], "--count"),
            (["generate", "contains", "--target", "a", "--positive-ratio", "-1"], "--positive-ratio"),
            (["build-vocab", w.corpus, "--min-count", "-1"], "--min-count"),
            (["build-vocab", w.corpus, "--max-size", "-1"], "--max-size"),
            (["quantize", "-m", w.model, "-o", w.files.path("o"), "--cutoff", "-3"], "--cutoff"),
            (["quantize", "-m", w.model, "-o", w.files.path("o"), "--cutoff", "1"], "--cutoff"),
            (["quantize", "-m", w.model, "-o", w.files.path("o"), "--retrain", "--train", w.corpus, "--epochs", "0"], "--epochs"),
            (["quantize", "-m", w.model, "-o", w.files.path("o"), "--retrain", "--train", w.corpus, "--threads", "0"], "--threads"),
            (["quantize", "-m", w.model, "-o", w.files.path("o"), "--retrain"], "--retrain"),
        ]
        for (arguments, option) in outOfRange { try w.expectError(arguments, status: 2, containing: option) }
    }

    /// Every command that writes a file: a missing directory and a full device fail; a FIFO
    /// without a reader fails at once; with a reader, and through symbolic links, it works.
    @Test func outputsToMissingDirectoriesDevicesFIFOsAndSymlinks() throws {
        let w = try Workspace()
        let writers: [(String) -> [String]] = [
            { ["generate", "contains", "--target", "a", "--count", "50", "-o", $0] },
            { ["build-vocab", "--quiet", "-o", $0, w.corpus] },
            { ["quantize", "--quiet", "-m", w.model, "-o", $0] },
            { ["train", "--arch", "pool", "--dim", "4", "--epochs", "1", "--quiet", "--train", w.corpus, "-o", $0] },
            { ["train", "--arch", "pool", "--dim", "4", "--epochs", "1", "--quiet", "--train", w.corpus,
               "-o", w.files.path("side.safetensors"), "--metrics-log", $0] },
            { ["train", "--arch", "pool", "--dim", "4", "--epochs", "1", "--quiet", "--train", w.corpus,
               "-o", w.files.path("side.safetensors"), "--plot", $0] },
        ]
        for writer in writers {
            let nowhere = w.files.path("missing/dir/out")
            try w.expectError(writer(nowhere), containing: "cannot write \(nowhere)")
            try w.expectError(writer("/dev/full"), containing: "cannot write /dev/full: No space left on device")
            #expect(try CommandLineRun(writer("/dev/null")).status == 0)

            let fifo = w.files.path("fifo")
            #expect(mkfifo(fifo, 0o644) == 0)
            try w.expectError(writer(fifo), containing: "cannot write \(fifo): no process is reading it")
            let reader = Process()
            reader.executableURL = URL(fileURLWithPath: "/bin/cat")
            reader.arguments = [fifo]
            let pipe = Pipe()
            reader.standardOutput = pipe
            try reader.run()
            // Wait until cat holds the read end (opening the FIFO to probe would end cat's read).
            let fifoTarget = URL(fileURLWithPath: fifo).resolvingSymlinksInPath().path
            for _ in 0..<500 {
                let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(reader.processIdentifier)/fd")) ?? []
                if descriptors.contains(where: {
                    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(reader.processIdentifier)/fd/\($0)")) == fifoTarget
                }) { break }
                usleep(10_000)
            }
            let run = try CommandLineRun(writer(fifo))
            let received = pipe.fileHandleForReading.readDataToEndOfFile()
            reader.waitUntilExit()
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!received.isEmpty)
            var info = stat()
            #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "the FIFO stays a FIFO")
            unlink(fifo)

            let target = w.files.write("target", "old")
            let link = w.files.path("link")
            #expect(symlink("target", link) == 0)
            #expect(try CommandLineRun(writer(link)).status == 0)
            #expect(lstat(link, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK, "the link stays a link")
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) != Data("old".utf8))
            unlink(link)
            unlink(target)

            let dangling = w.files.path("dangling")
            #expect(symlink("created", dangling) == 0)
            #expect(try CommandLineRun(writer(dangling)).status == 0)
            #expect(FileManager.default.fileExists(atPath: w.files.path("created")))
            #expect(lstat(dangling, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
            unlink(dangling)
            unlink(w.files.path("created"))
            unlink(w.files.path("side.safetensors"))
        }
        #expect(!w.files.listing().contains { $0.contains(".tmp-") })
    }

    /// The library tests cut model and vocabulary files at every offset; here a sample of those
    /// cuts and flips goes through every command that reads them.
    @Test func truncatedAndFlippedModelsAndVocabulariesThroughTheCommands() throws {
        let w = try Workspace()
        let model = try [UInt8](Data(contentsOf: URL(fileURLWithPath: w.model)))
        let headerEnd = 8 + (Int(model[0]) | Int(model[1]) << 8)
        for length in [0, 7, 8, 9, headerEnd / 2, headerEnd - 1, headerEnd, headerEnd + 3, model.count - 1] {
            let path = w.files.write("cut\(length).safetensors", bytes: Array(model.prefix(length)))
            for arguments in w.modelReaders(of: path) { try w.expectError(arguments, containing: path) }
        }
        for offset in [0, 3, 8, 9, 40, headerEnd / 2, headerEnd - 9, headerEnd + 5, model.count - 2] {
            var flipped = model
            flipped[offset] ^= 0x04
            let path = w.files.write("flip\(offset).safetensors", bytes: flipped)
            try w.expectError(["info", "-m", path], containing: path)
        }
        let vocabulary = try [UInt8](Data(contentsOf: URL(fileURLWithPath: w.vocabulary)))
        for length in [0, 10, 30, 60, 75] {
            let path = w.files.write("cut\(length).txt", bytes: Array(vocabulary.prefix(length)))
            try w.expectError(["train", "--arch", "pool", "--train", w.corpus, "--vocab", path, "-o", w.files.path("o")],
                              containing: path)
        }
    }
}
