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

    public var errorDescription: String? {
        switch self {
        case let .malformedRecord(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .missingColumn(file, column):
            return "\(file):1: the CSV header has no '\(column)' column"
        case let .empty(file):
            return "\(file): the corpus holds no examples"
        case let .unlabeled(file):
            return "\(file): no labels found (read as plain text); label lines as "
                + "`__label__X text` or `X<TAB>text`, or name the format with --input-format"
        }
    }
}
