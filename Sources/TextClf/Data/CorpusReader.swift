import Foundation

/// Streams the examples of one corpus file or labeled directory, in any ``CorpusFormat``.
///
/// Memory stays constant in the corpus size: lines are read through one buffer and each
/// example is returned as soon as its record ends.
///
/// ```swift
/// let reader = try CorpusReader(contentsOf: URL(fileURLWithPath: "corpora/contains_a/train.txt"))
/// while let example = try reader.next() { print(example.labels, example.text) }
/// ```
public final class CorpusReader {
    /// The corpus: a file, or a labeled directory (for a stream, a file URL of its name).
    public let url: URL
    /// The format records are read in.
    public let format: CorpusFormat
    /// The path errors name: the corpus path as given.
    let path: String
    /// The file the last example came from, as errors name it: `path`, or a file inside a
    /// labeled directory.
    private(set) var currentFile: String

    /// The file the last example came from: ``url``, or a file inside a labeled directory.
    public var currentFileURL: URL { URL(fileURLWithPath: currentFile) }

    private var lines: LineReader?
    private var csvHeader: CSVHeader?
    private var directory: DirectoryCorpus?

    /// Opens the corpus at `url`, detecting the format unless one is given.
    /// - Parameters:
    ///   - url: a corpus file or labeled directory.
    ///   - format: its format, or nil to detect it (SPEC §3).
    /// - Throws: ``FileError`` for a missing or unreadable path (with the system's reason),
    ///   ``CorpusError`` for a bad CSV header.
    public convenience init(contentsOf url: URL, format: CorpusFormat? = nil) throws {
        try self.init(path: url.relativePath, format: format)
    }

    /// Opens the corpus at `path` as given, so that errors name it as the caller wrote it.
    init(path: String, format: CorpusFormat? = nil) throws {
        url = URL(fileURLWithPath: path)
        self.path = path
        self.format = try format ?? CorpusFormat.detect(path: path)
        currentFile = path
        if self.format == .dir {
            directory = try DirectoryCorpus(path: path)
        } else {
            let lines = try LineReader(path: path)
            self.lines = lines
            if self.format == .csv { csvHeader = try CSVHeader(reading: lines) }
        }
    }

    /// Reads records of `format` from `lines`, e.g. standard input; messages name the reader's
    /// ``LineReader/name``. A CSV header is read here.
    /// - Throws: ``CorpusError/directoryFormatOnStream(file:)`` for ``CorpusFormat/dir``,
    ///   ``CorpusError`` for a bad CSV header, ``FileError`` on a read error.
    package init(lines: LineReader, format: CorpusFormat) throws {
        guard format != .dir else { throw CorpusError.directoryFormatOnStream(file: lines.name) }
        url = URL(fileURLWithPath: lines.name)
        path = lines.name
        self.format = format
        currentFile = lines.name
        self.lines = lines
        if format == .csv { csvHeader = try CSVHeader(reading: lines) }
    }

    /// Invalid UTF-8 sequences replaced by U+FFFD so far.
    public var replacements: Int {
        (lines?.replacements ?? 0) + (directory?.replacements ?? 0)
    }

    /// The next example, or nil after the last.
    /// - Throws: ``CorpusError/malformedRecord(file:line:reason:)`` naming the file and line of a
    ///   record that does not follow the format, or ``FileError`` on a read error.
    public func next() throws -> LabeledExample? {
        if let directory {
            guard let (example, file) = try directory.next() else { return nil }
            currentFile = file
            return example
        }
        guard let lines else { return nil }
        switch format {
        case .csv: return try csvHeader?.nextRecord(from: lines)
        case .jsonl: return try nextLine(lines, skippingBlank: true, JSONLine.parseExample)
        case .fasttext: return try nextLine(lines, skippingBlank: true, FastTextLine.parse)
        case .tsv: return try nextLine(lines, skippingBlank: true, TSVLine.parse)
        case .text:
            guard let text = try lines.nextString() else { return nil }
            return LabeledExample(text: text, labels: [], line: lines.lineNumber)
        case .dir: return nil
        }
    }

    /// Reads lines until one parses into an example; blank lines hold no record.
    private func nextLine(_ lines: LineReader, skippingBlank: Bool,
                          _ parse: (String) throws(RecordError) -> LabeledExample) throws -> LabeledExample? {
        while let text = try lines.nextString() {
            if skippingBlank && text.utf8.allSatisfy(ByteClass.isFastTextSpace) { continue }
            do {
                var example = try parse(text)
                example.line = lines.lineNumber
                return example
            } catch {
                throw CorpusError.malformedRecord(file: path, line: lines.lineNumber, reason: error.reason)
            }
        }
        return nil
    }
}

/// A record's problem, before the reader adds the file and line.
struct RecordError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
