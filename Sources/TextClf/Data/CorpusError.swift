import Foundation

/// Why a corpus could not be read.
public enum CorpusError: Error, Equatable, LocalizedError {
    /// A record that does not follow its format, named by file and line.
    case malformedRecord(file: String, line: Int, reason: String)
    /// A CSV header without a required column.
    case missingColumn(file: String, column: String)
    /// A corpus with no examples at all.
    case empty(file: String)
    /// A corpus read as plain text where labels are needed.
    case unlabeled(file: String)
    /// A corpus whose examples all tokenize to nothing.
    case noTokens(file: String)
    /// A training corpus with fewer than two distinct labels.
    case tooFewLabels(file: String, labels: [String])
    /// An example whose label the model does not know.
    case unknownLabel(file: String, line: Int, label: String)
    /// The directory format asked of a stream of lines, which has no sub-directories.
    case directoryFormatOnStream(file: String)

    /// The message for the user, naming the file (and line).
    public var errorDescription: String? {
        switch self {
        case let .malformedRecord(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .missingColumn(file, column):
            return "\(file):1: the CSV header has no '\(column)' column"
        case let .empty(file):
            return "\(file): the corpus holds no examples"
        case let .noTokens(file):
            return "\(file): no example holds a token with these tokenizer options"
        case let .tooFewLabels(file, labels):
            let found = labels.isEmpty ? "none" : labels.map { "'\($0)'" }.joined(separator: ", ")
            return "\(file): training needs at least two labels, found \(found)"
        case let .unknownLabel(file, line, label):
            return "\(file):\(line): label '\(label)' is not one of the model's labels"
        case let .directoryFormatOnStream(file):
            return "\(file): the dir format reads a labeled directory by its path, not a stream of lines"
        case let .unlabeled(file):
            return "\(file): no labels found (read as plain text); label lines as "
                + "`__label__X text` or `X<TAB>text`, or name the format with --input-format"
        }
    }
}
