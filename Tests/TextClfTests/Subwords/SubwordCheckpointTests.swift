import Foundation
import Testing
@testable import TextClf

/// A run with hashed rows, interrupted and resumed from its checkpoint, writes the model file of
/// an uninterrupted run.
@Suite("checkpoints with word n-grams and subwords")
struct SubwordCheckpointTests {
    @Test func resumedRunWritesTheSameModelFile() throws {
        let files = try CheckpointTests.corpus()
        let options = ["--arch", "pool", "--level", "space", "--word-ngrams", "2", "--minn", "1", "--maxn", "2",
                       "--buckets", "300", "--epochs", "2", "--valid", files.path("valid.txt")]
        let base = ["train", "--train", files.path("train.txt"), "--dim", "6", "--batch-size", "32", "--quiet"] + options
        let reference = try CommandLineRun(base + ["-o", files.path("reference")])
        #expect(reference.status == 0, "\(reference.stderr)")
        let directory = files.path("ck")
        let stopped = try CommandLineRun(base + ["--checkpoint", directory, "--stop-after-batch", "7", "-o", files.path("resumed")])
        #expect(stopped.status == 130, "\(stopped.stderr)")
        let resumed = try CommandLineRun(base + ["--checkpoint", directory, "--resume", "-o", files.path("resumed")])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: files.path("resumed")))
                == Data(contentsOf: URL(fileURLWithPath: files.path("reference"))))
    }
}
