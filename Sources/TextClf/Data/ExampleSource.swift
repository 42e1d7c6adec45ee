import Foundation

/// Where labeled examples come from: a corpus file (or labeled directory), or memory.
///
///     let file = ExampleSource.corpus(URL(fileURLWithPath: "train.tsv"))
///     let inMemory = ExampleSource.examples([
///         LabeledExample(text: "free prize", labels: ["spam"], line: 1),
///         LabeledExample(text: "see you at 5", labels: ["ham"], line: 2),
///     ])
public enum ExampleSource: Sendable {
    /// A corpus file or labeled directory, in `format` (nil: detected, SPEC §3).
    case corpus(URL, format: CorpusFormat? = nil)
    /// Examples held in memory; errors name them "examples" with each example's `line`.
    case examples([LabeledExample])

    /// What errors and warnings call the source: the corpus path as given, or "examples".
    var name: String {
        switch self {
        case .corpus(let url, _): return url.relativePath
        case .examples: return "examples"
        }
    }

    /// A reader of the source's labeled examples.
    /// - Throws: ``FileError`` or ``CorpusError`` when the corpus cannot be opened, is empty,
    ///   or is plain text without labels.
    func makeReader() throws -> ExampleReader {
        switch self {
        case .corpus(let url, let format):
            let reader = try CorpusReader(path: url.relativePath, format: format)
            guard reader.format.isLabeled else {
                throw try reader.next() == nil ? CorpusError.empty(file: name) : CorpusError.unlabeled(file: name)
            }
            return ExampleReader(corpus: reader)
        case .examples(let examples):
            return ExampleReader(examples: examples)
        }
    }
}

/// Reads the examples of an ``ExampleSource`` one at a time, whichever kind it is.
final class ExampleReader {
    private let corpus: CorpusReader?
    private var remaining: ArraySlice<LabeledExample>

    init(corpus: CorpusReader) {
        self.corpus = corpus
        remaining = []
    }

    init(examples: [LabeledExample]) {
        corpus = nil
        remaining = examples[...]
    }

    /// The file the last example came from, or "examples".
    var currentFile: String { corpus?.currentFile ?? "examples" }

    /// Invalid UTF-8 sequences replaced while reading files (none in memory).
    var replacements: Int { corpus?.replacements ?? 0 }

    /// The next example, or nil after the last.
    func next() throws -> LabeledExample? {
        if let corpus { return try corpus.next() }
        return remaining.popFirst()
    }
}
