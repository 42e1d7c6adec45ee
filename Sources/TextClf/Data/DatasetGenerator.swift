import Foundation

/// Synthetic labeled strings for the "does the string contain the target character" task and
/// its relatives, the seeds' first exercise for a sequence classifier.
///
///     var generator = try DatasetGenerator(task: .contains, target: "a", alphabet: Array("abc"),
///                                          lengths: 6...6, positiveRatio: 0.5, seed: 1)
///     generator.next()   // GeneratedExample(text: "cbacbb", label: "1")
///
/// Targets and alphabets are any Unicode characters (grapheme clusters), e.g. `好`.
/// The same options and seed give the same examples on every platform.
public struct DatasetGenerator: Sendable {
    /// What a generated string is labeled with.
    public enum Task: String, CaseIterable, Sendable {
        /// Whether the string contains the target: the positive or the negative label.
        case contains
        /// The index (in characters, from 0) of the target's first occurrence, or `none`.
        case position
        /// How many times the target occurs.
        case count
    }

    /// What a string is labeled with.
    public let task: Task
    /// The character looked for.
    public let target: Character
    /// The characters strings are drawn from (the target among them or not).
    public let alphabet: [Character]
    /// The range string lengths are drawn from.
    public let lengths: ClosedRange<Int>
    /// The probability that a string holds the target.
    public let positiveRatio: Double
    /// For `.contains`: the label of strings with the target.
    public let positiveLabel: String
    /// For `.contains`: the label of strings without the target.
    public let negativeLabel: String

    private let others: [Character]
    private var rng: SeededGenerator

    /// - Throws: `GeneratorError` when the options cannot produce the requested examples.
    public init(
        task: Task, target: Character, alphabet: [Character], lengths: ClosedRange<Int>,
        positiveRatio: Double = 0.5, positiveLabel: String = "1", negativeLabel: String = "0", seed: UInt64
    ) throws {
        guard lengths.lowerBound >= 1 else { throw GeneratorError.lengthTooSmall(lengths.lowerBound) }
        guard (0...1).contains(positiveRatio) else { throw GeneratorError.ratioOutOfRange(positiveRatio) }
        let others = alphabet.filter { $0 != target }
        if others.isEmpty && positiveRatio < 1 {
            throw GeneratorError.alphabetHasOnlyTarget(String(target))
        }
        guard positiveLabel != negativeLabel else { throw GeneratorError.sameLabels(positiveLabel) }
        self.task = task
        self.target = target
        self.alphabet = alphabet
        self.lengths = lengths
        self.positiveRatio = positiveRatio
        self.positiveLabel = positiveLabel
        self.negativeLabel = negativeLabel
        self.others = others
        self.rng = SeededGenerator(seed: seed)
    }

    /// The next example. Each one independently holds the target with probability
    /// `positiveRatio`; a positive string draws its characters from the whole alphabet and then
    /// places the target at one random position, so it may hold the target more than once.
    public mutating func next() -> GeneratedExample {
        let length = lengths.lowerBound + rng.nextInt(below: lengths.count)
        let positive = Double(rng.nextUniform()) < positiveRatio
        var characters: [Character] = []
        characters.reserveCapacity(length)
        let pool = positive && !alphabet.isEmpty ? alphabet : others
        for _ in 0..<length {
            characters.append(pool.isEmpty ? target : pool[rng.nextInt(below: pool.count)])
        }
        if positive {
            characters[rng.nextInt(below: length)] = target
        }
        return GeneratedExample(text: String(characters), label: label(for: characters))
    }

    private func label(for characters: [Character]) -> String {
        switch task {
        case .contains:
            return characters.contains(target) ? positiveLabel : negativeLabel
        case .position:
            return characters.firstIndex(of: target).map(String.init) ?? "none"
        case .count:
            return String(characters.lazy.filter { $0 == self.target }.count)
        }
    }

    /// Parses an alphabet such as `a-z`, `a-zA-Z0-9`, `abc` or `你好吗`: `x-y` is the inclusive
    /// range of Unicode scalars from x to y; a `-` at either end stands for itself.
    public static func parseAlphabet(_ text: String) throws -> [Character] {
        let characters = Array(text)
        var result: [Character] = []
        var i = 0
        while i < characters.count {
            if i + 2 < characters.count, characters[i + 1] == "-",
               let low = characters[i].unicodeScalars.first, characters[i].unicodeScalars.count == 1,
               let high = characters[i + 2].unicodeScalars.first, characters[i + 2].unicodeScalars.count == 1 {
                guard low.value <= high.value else { throw GeneratorError.badRange(String(characters[i...(i + 2)])) }
                for value in low.value...high.value {
                    if let scalar = Unicode.Scalar(value) { result.append(Character(scalar)) }
                }
                i += 3
            } else {
                result.append(characters[i])
                i += 1
            }
        }
        var seen = Set<Character>()
        result = result.filter { seen.insert($0).inserted }
        guard !result.isEmpty else { throw GeneratorError.emptyAlphabet }
        return result
    }
}

/// One generated string and its label.
public struct GeneratedExample: Equatable, Sendable {
    /// The string.
    public var text: String
    /// Its label.
    public var label: String
}

/// Why a dataset cannot be generated as asked.
public enum GeneratorError: Error, Equatable, LocalizedError {
    /// A string length below 1.
    case lengthTooSmall(Int)
    /// A positive ratio outside [0, 1].
    case ratioOutOfRange(Double)
    /// An alphabet that holds nothing but the target.
    case alphabetHasOnlyTarget(String)
    /// An empty alphabet.
    case emptyAlphabet
    /// An alphabet range such as `z-a` that runs backwards.
    case badRange(String)
    /// Equal positive and negative labels.
    case sameLabels(String)

    /// The message for the user.
    public var errorDescription: String? {
        switch self {
        case .lengthTooSmall(let length):
            return "string length must be at least 1, got \(length)"
        case .ratioOutOfRange(let ratio):
            return "positive ratio must be between 0 and 1, got \(ratio)"
        case .alphabetHasOnlyTarget(let target):
            return "the alphabet holds no character other than the target '\(target)', so no negative example exists; widen --alphabet or use --positive-ratio 1"
        case .emptyAlphabet:
            return "the alphabet is empty"
        case .badRange(let range):
            return "alphabet range '\(range)' runs backwards"
        case .sameLabels(let label):
            return "the positive and negative labels are both '\(label)'"
        }
    }
}
