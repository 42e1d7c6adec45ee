import Foundation
import Testing
@testable import TextClf

@Suite("dataset generator")
struct DatasetGeneratorTests {
    @Test func containsLabelsAreTrueAndRatioIsKept() throws {
        var generator = try DatasetGenerator(task: .contains, target: "a", alphabet: DatasetGenerator.parseAlphabet("a-z"),
                                             lengths: 6...6, positiveRatio: 0.3, seed: 7)
        let examples = generator.generate(count: 2000)
        for example in examples {
            #expect(example.text.count == 6)
            #expect(example.label == (example.text.contains("a") ? "1" : "0"))
        }
        let positives = examples.filter { $0.label == "1" }.count
        #expect((500...700).contains(positives))
    }

    @Test func sameSeedGivesSameExamples() throws {
        func make(_ seed: UInt64) throws -> [GeneratedExample] {
            var generator = try DatasetGenerator(task: .count, target: "好", alphabet: Array("你好吗我"),
                                                 lengths: 2...9, seed: seed)
            return generator.generate(count: 50)
        }
        #expect(try make(3) == make(3))
        #expect(try make(3) != make(4))
    }

    @Test func positionAndCountLabelTheTarget() throws {
        var position = try DatasetGenerator(task: .position, target: "x", alphabet: Array("xyz"), lengths: 1...8, seed: 1)
        for example in position.generate(count: 200) {
            let expected = example.text.firstIndex(of: "x").map { String(example.text.distance(from: example.text.startIndex, to: $0)) } ?? "none"
            #expect(example.label == expected)
        }
        var count = try DatasetGenerator(task: .count, target: "x", alphabet: Array("xyz"), lengths: 1...8, seed: 1)
        for example in count.generate(count: 200) {
            #expect(example.label == String(example.text.filter { $0 == "x" }.count))
        }
    }

    @Test func alphabetRangesAndBadOptions() throws {
        #expect(try DatasetGenerator.parseAlphabet("a-c0-1-") == Array("abc01-"))
        #expect(throws: GeneratorError.badRange("z-a")) { try DatasetGenerator.parseAlphabet("z-a") }
        #expect(throws: GeneratorError.alphabetHasOnlyTarget("a")) {
            try DatasetGenerator(task: .contains, target: "a", alphabet: ["a"], lengths: 3...3, seed: 1)
        }
    }
}
