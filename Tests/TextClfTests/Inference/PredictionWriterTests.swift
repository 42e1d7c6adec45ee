import Foundation
import Testing
@testable import TextClf

/// classify's byte-level output and input paths give exactly what the `String` ones give.
@Suite("prediction writer")
struct PredictionWriterTests {
    private static let texts = ["abc", "", "tab\there", "quote\"back\\slash", "ctrl\u{01}\u{1F}x", "été 日本語 🙂",
                                "new\nline\r", "__label__x not a label here"]

    /// Every layout and option, over rows with ties, zeros and no tokens, written by
    /// `PredictionWriter` and by `PredictionFormat.line`.
    @Test(arguments: ["m.safetensors", "multi.safetensors"])
    func writerBytesEqualTheFormattedLines(model: String) throws {
        let files = ClassifyCommandTests.workspace
        let classifier = try Classifier(contentsOf: URL(fileURLWithPath: files.path(model)), threads: 1)
        let width = classifier.labels.count
        var generator = SeededGenerator(seed: 5)
        var rows: [[Float]?] = [nil, [Float](repeating: 1 / Float(width), count: width), [Float](repeating: 0, count: width)]
        for _ in 0..<20 { rows.append((0..<width).map { _ in generator.nextUniform() }) }
        rows.append((0..<width).map { $0 == width - 1 ? 0.9999996 : 0.0000004 })
        var formats: [PredictionFormat] = []
        for style in PredictionFormat.Style.allCases {
            for k in [nil, 1, 2, 3] as [Int?] {
                for threshold in [nil, 0, 0.3, 0.5] as [Float?] {
                    formats.append(PredictionFormat(style: style, k: k, threshold: threshold))
                }
            }
            formats.append(PredictionFormat(style: style, allProbabilities: true))
            formats.append(PredictionFormat(style: style, includeText: false))
            formats.append(PredictionFormat(style: style, escapesText: true))
        }
        let path = files.path("writer-\(UUID().uuidString).txt")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let output = BufferedOutput(fileDescriptor: descriptor, name: path)
        var expected = ""
        for format in formats {
            let writer = PredictionWriter(format: format, classifier: classifier)
            for (n, row) in rows.enumerated() {
                let text = Self.texts[n % Self.texts.count]
                expected += format.line(text: text, probabilities: row, classifier: classifier) + "\n"
                var bytes = Array(text.utf8)
                try bytes.withUnsafeMutableBufferPointer { bytes in
                    if let row {
                        try row.withUnsafeBufferPointer { try writer.write(text: UnsafeBufferPointer(bytes), probabilities: $0, to: output) }
                    } else {
                        try writer.write(text: UnsafeBufferPointer(bytes), probabilities: nil, to: output)
                    }
                }
            }
        }
        try output.flush()
        close(descriptor)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)
    }

    @Test func bytesLevelLabelStrippingMatchesTheStringOne() {
        let lines = ["__label__a text", "__label__a __label__b\t text", "  __label__a\u{0B}text", "__label__", "__label__a",
                     "text __label__a", " leading", "", "__label", "__label__é été", "__label__a\u{00}b c"]
        for line in lines {
            var bytes = Array(line.utf8)
            let stripped = bytes.withUnsafeMutableBufferPointer { bytes in
                let bytes = UnsafeBufferPointer(bytes)
                return String(decoding: bytes[ClassifyInput.textStart(bytes)...], as: UTF8.self)
            }
            #expect(stripped == PredictionFormat.strippingLabels(line), "\(line.debugDescription)")
        }
    }
}
