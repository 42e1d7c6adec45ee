import CAllocationCounter
import Foundation
import Testing
@testable import TextClf

/// classify's streaming loop reuses its buffers: the heap allocations of a run do not grow
/// with the number of lines (counted by the test process's own malloc, CAllocationCounter).
@Suite("classify allocations")
struct ClassifyAllocationTests {
    /// The allocations of classifying `lines` lines of words with `model` on one thread.
    private func allocations(model: String, lines: Int, format: PredictionFormat) throws -> Int64 {
        let files = ClassifyCommandTests.workspace
        let words = ["abc", "xyz", "banana", "qqq", "été", "日本語", "red", "blue"]
        var input = ""
        for line in 0..<lines {
            input += (0 ..< line % 9).map { words[($0 * 7 + line) % words.count] }.joined(separator: " ") + "\n"
        }
        let path = files.write("allocations-\(UUID().uuidString).txt", input)
        let classifier = try Classifier(contentsOf: URL(fileURLWithPath: files.path(model)), threads: 1)
        let sink = open("/dev/null", O_WRONLY)
        defer { close(sink) }
        let texts = try ClassifyInput(lines: LineReader(path: path))
        let output = BufferedOutput(fileDescriptor: sink, name: "/dev/null")
        let predictor = LinePredictor(classifier: classifier, format: format)
        let before = allocation_counter_thread_total()
        let summary = try predictor.run(input: texts, output: output)
        let after = allocation_counter_thread_total()
        #expect(summary.lines == lines)
        return after - before
    }

    @Test(arguments: ["m.safetensors", "multi.safetensors"])
    func classifyAllocatesNothingPerLine(model: String) throws {
        try #require(allocation_counter_thread_total() >= 0, "allocations are counted on glibc only")
        for format in [PredictionFormat(style: .tsv), PredictionFormat(style: .jsonl, k: 2),
                       PredictionFormat(style: .fasttext, allProbabilities: true)] {
            let small = try allocations(model: model, lines: 10_000, format: format)
            let large = try allocations(model: model, lines: 20_000, format: format)
            // A batch of 512 lines may allocate a few times (the thread budget's task-local
            // value); one allocation per line would add 10 000.
            #expect(large - small < 10_000 / 100, "\(model) \(format.style): \(small) allocations for 10 000 lines, \(large) for 20 000")
        }
    }
}
