import Foundation
import Testing
@testable import TextClf

/// `train --checkpoint` / `--resume`: a run interrupted anywhere (the hidden, deterministic
/// `--stop-after-batch N`, or a real SIGTERM) and resumed writes the same model file, byte for
/// byte, as a run that was never interrupted.
@Suite("training checkpoints")
struct CheckpointTests {
    /// 600 training examples in batches of 32: 17 batches per epoch.
    static func corpus() throws -> ScratchDirectory {
        let files = ScratchDirectory()
        for (name, count, seed) in [("train.txt", 600, 11), ("valid.txt", 120, 12)] {
            let run = try CommandLineRun(["generate", "contains", "--target", "a", "--count", "\(count)",
                                          "--seed", "\(seed)", "-o", files.path(name)])
            #expect(run.status == 0)
        }
        return files
    }

    static func command(_ files: ScratchDirectory, _ extra: [String]) -> [String] {
        ["train", "--train", files.path("train.txt"), "--level", "char", "--dim", "6", "--hidden", "5", "--filters", "3",
         "--batch-size", "32", "--quiet"] + extra
    }

    static let setups: [[String]] = [
        ["--arch", "gru", "--epochs", "3", "--valid", "valid.txt"],
        ["--arch", "lstm", "--bidirectional", "--epochs", "3", "--valid-split", "0.1", "--dropout", "0.3"],
        ["--arch", "cnn", "--epochs", "3", "--optimizer", "sgd", "--momentum", "0.9", "--lr-schedule", "linear"],
        ["--arch", "pool", "--epochs", "4", "--optimizer", "adamw", "--valid", "valid.txt", "--early-stopping", "1",
         "--lr", "0.05"],
    ]

    /// Interruptions: before the first batch, mid-epoch, at an epoch's end, in a later epoch, and
    /// twice in a row (resumed, interrupted again, resumed).
    @Test(arguments: setups)
    func resumedRunsWriteTheSameModelFile(_ setup: [String]) throws {
        let files = try Self.corpus()
        let options = setup.map { $0.hasSuffix(".txt") ? files.path($0) : $0 }
        let reference = try CommandLineRun(Self.command(files, options + ["--threads", "1", "-o", files.path("reference")]))
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try Data(contentsOf: URL(fileURLWithPath: files.path("reference")))
        for stops in [[0], [7], [17], [40], [5, 20]] {
            let directory = files.path("checkpoint-\(stops)")
            let output = files.path("resumed-\(stops)")
            var resume: [String] = []
            for stop in stops {
                let run = try CommandLineRun(Self.command(files, options + ["--checkpoint", directory, "--stop-after-batch",
                                                                            "\(stop)", "-o", output] + resume))
                #expect(run.status == 130, "\(stops): \(run.stderr)")
                #expect(run.stderr.hasPrefix("textclf: interrupted; the training state is saved in \(directory)"))
                #expect(run.stderr.split(separator: "\n").count == 1)
                #expect(!FileManager.default.fileExists(atPath: output))
                resume = ["--resume"]
            }
            let finish = try CommandLineRun(Self.command(files, options + ["--checkpoint", directory, "--resume",
                                                                           "--threads", "2", "-o", output]))
            #expect(finish.status == 0, "\(stops): \(finish.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == expected, "\(setup) stopped at \(stops)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [TrainingCheckpoint.fileName])
        }
    }

    @Test func aCheckpointFromOtherOptionsOrDataIsRefusedByName() throws {
        let files = try Self.corpus()
        let base = ["--arch", "gru", "--epochs", "2", "--checkpoint", files.path("ck"), "-o", files.path("m")]
        #expect(try CommandLineRun(Self.command(files, base + ["--stop-after-batch", "3"])).status == 130)
        let otherRate = try CommandLineRun(Self.command(files, base + ["--resume", "--lr", "0.01"]))
        otherRate.expectOneLineError(startingWith: "\(files.path("ck")): the checkpoint was made with other learning_rate (0.001, now 0.01)")
        let otherSeed = try CommandLineRun(Self.command(files, base + ["--resume", "--seed", "2"]))
        otherSeed.expectOneLineError(startingWith: "\(files.path("ck")): the checkpoint was made with other seed (1, now 2)")
        var otherData = Self.command(files, base + ["--resume"])
        otherData[2] = files.path("valid.txt")
        try CommandLineRun(otherData).expectOneLineError(startingWith: "\(files.path("ck")): the checkpoint was made with other")
        let none = try CommandLineRun(Self.command(files, ["--arch", "gru", "--checkpoint", files.path("empty"), "--resume",
                                                           "-o", files.path("m")]))
        none.expectOneLineError(startingWith: "\(files.path("empty")): no checkpoint to resume")
        let damaged = files.write("bad/\(TrainingCheckpoint.fileName)", "not a checkpoint")
        let bad = try CommandLineRun(Self.command(files, ["--arch", "gru", "--checkpoint", files.path("bad"), "--resume",
                                                          "-o", files.path("m")]))
        bad.expectOneLineError(startingWith: "\(damaged): cannot resume from this checkpoint")
        #expect(try CommandLineRun(Self.command(files, ["--arch", "gru", "--resume", "-o", files.path("m")])).status == 2)
        #expect(!FileManager.default.fileExists(atPath: files.path("m")))
    }

    @Test func interruptionWithoutACheckpointSuggestsOne() throws {
        let files = try Self.corpus()
        let run = try CommandLineRun(Self.command(files, ["--arch", "pool", "--stop-after-batch", "2", "-o", files.path("m")]))
        #expect(run.status == 130)
        #expect(run.stderr == "textclf: interrupted; nothing was saved (train with --checkpoint DIR to be able to resume with --resume)\n")
        #expect(files.listing() == ["train.txt", "valid.txt"])
    }

    /// A real SIGTERM after the first epoch's checkpoint: exit 130, and the resumed run matches.
    @Test func sigtermSavesACheckpointThatResumes() throws {
        let files = try Self.corpus()
        let options = ["--arch", "lstm", "--epochs", "60", "--threads", "1"]
        let directory = files.path("ck")
        let process = Process()
        process.executableURL = try TestPaths.cli
        process.arguments = Self.command(files, options + ["--checkpoint", directory, "-o", files.path("m")])
        process.standardError = FileHandle.nullDevice
        try process.run()
        let checkpoint = TrainingCheckpoint.path(in: directory)
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: checkpoint) && Date() < deadline && process.isRunning {
            usleep(20_000)
        }
        #expect(process.isRunning, "training must still be running after its first epoch")
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let saved = try TrainingCheckpoint(directory: directory)
        #expect(saved.progress.epoch < 60)
        let resumed = try CommandLineRun(Self.command(files, options + ["--checkpoint", directory, "--resume", "--stop-after-batch",
                                                                        "0", "-o", files.path("m")]))
        #expect(resumed.status == 130, "the checkpoint reloads: \(resumed.stderr)")
    }

    /// A library user cancels the task: training stops at the next batch boundary and throws
    /// CancellationError, writing nothing.
    @Test func cancellingTheTaskStopsAtABatchBoundary() async throws {
        let files = try Self.corpus()
        var job = TrainingJob(train: .corpus(URL(fileURLWithPath: files.path("train.txt"))),
                              network: ClassifierConfiguration(arch: .gru, dim: 4, hidden: 4, tokenizer: Tokenizer(level: .char)),
                              options: try TrainingOptions(batchSize: 32), output: URL(fileURLWithPath: files.path("m")))
        job.tokenizer = Tokenizer(level: .char)
        let batches = Counter()
        let configured = job
        let task = Task {
            try configured.run(progress: { event in
                guard case .batch = event else { return }
                batches.increment()
                withUnsafeCurrentTask { $0?.cancel() }
            })
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(batches.value == 1)
        #expect(!FileManager.default.fileExists(atPath: files.path("m")))
    }
}

/// A count shared with a `@Sendable` closure.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
