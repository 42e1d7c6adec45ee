import Foundation
import Testing
@testable import TextClf

/// `Scripts/textclf_ids.py` (what `to_pytorch.py` uses) computes the rows textclf computes.
@Suite("Python row ids")
struct PythonRowIDsTests {
    static let python: String? = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
        .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    static let texts = [
        "the café is open", "我喜欢自然语言处理 and English", "👍🏽 family 👨‍👩‍👧 flag 🇫🇷🇩🇪 ok",
        "naïve résumé e\u{301}te\u{301}", "unknownword xyzzy the the the", "한국어 텍스트", "a",
    ]

    @Test(.enabled(if: python != nil, "python3 is not on the PATH: the comparison with Python is skipped"))
    func pythonComputesTextclfsBags() throws {
        let files = ScratchDirectory()
        let examples = ["the cafe is open", "the shop is closed", "我喜欢 English", "flag and family"].enumerated().map {
            LabeledExample(text: $0.element, labels: [$0.offset % 2 == 0 ? "a" : "b"], line: $0.offset + 1)
        }
        let configuration = ClassifierConfiguration(arch: .pool, dim: 4, wordNgrams: 3, minn: 2, maxn: 4, buckets: 1009)
        let model = URL(fileURLWithPath: files.path("m.safetensors"))
        let job = TrainingJob(train: .examples(examples), network: configuration, options: try TrainingOptions(epochs: 1),
                              output: model)
        _ = try job.run()
        let classifier = try Classifier(contentsOf: model)
        let rows = try #require(classifier.hashedRows)
        let session = classifier.configuration.tokenizer.makeSession()

        var expected: [String] = [], input = ""
        for text in Self.texts {
            var builder = HashedRows.Builder(rows)
            builder.encode(text, session: session, vocabulary: classifier.vocabulary, maxLength: 256)
            var dataset = EncodedDataset(hashedRows: rows)
            dataset.append(builder.example, labels: [Int32]())
            var bags: [String] = []
            dataset.forEachBag(of: 0) { _, bag in bags.append(bag.map(String.init).joined(separator: " ")) }
            expected.append(bags.joined(separator: "\t"))
            input += session.tokens(text).joined(separator: "\t") + "\n"
        }
        let tokens = files.write("tokens.tsv", input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python!)
        process.arguments = [TestPaths.repository.appendingPathComponent("Scripts/textclf_ids.py").path, model.path]
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: tokens))
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == Self.texts.count)
        for (text, (line, want)) in zip(Self.texts, zip(lines, expected)) {
            #expect(String(line) == want, "\(text)")
        }
    }
}
