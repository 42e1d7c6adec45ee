import Foundation

/// The formats textclf reads corpora in (SPEC §3).
public enum CorpusFormat: String, CaseIterable, Sendable, Codable {
    /// `__label__A [__label__B] text` lines.
    case fasttext
    /// `label<TAB>text` lines.
    case tsv
    /// A header naming `text` and `label` columns, then RFC 4180 records.
    case csv
    /// `{"text": ..., "label": ...}` or `"labels": [...]` objects, one per line.
    case jsonl
    /// One sub-directory per label, one text file per example.
    case dir
    /// One unlabeled text per line.
    case text

    /// Detects the format of the corpus at `path`: by extension (`.tsv`, `.csv`, `.jsonl`) or
    /// being a directory; otherwise by the first non-empty line: fastText when it starts with
    /// `__label__`, TSV when it holds a tab, plain text otherwise.
    /// - Throws: ``FileError`` when the path cannot be read.
    package static func detect(path: String) throws -> CorpusFormat {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return .dir
        }
        if let format = CorpusFormat(extensionOf: path) { return format }
        let reader = try LineReader(path: path)
        while let line = try reader.nextLine() {
            guard line.contains(where: { !ByteClass.isFastTextSpace($0) }) else { continue }
            if line.starts(with: "__label__".utf8) { return .fasttext }
            return line.contains(0x09) ? .tsv : .text
        }
        return .text
    }

    /// The format a file name's extension names, in any letter case: `.tsv`, `.csv` or
    /// `.jsonl`; nil for any other name. Readers and writers both decide by this one rule, so
    /// a file written as `x.TSV` is read back as TSV.
    public init?(extensionOf path: String) {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "tsv": self = .tsv
        case "csv": self = .csv
        case "jsonl": self = .jsonl
        default: return nil
        }
    }

    /// Whether records of this format carry labels (all but plain text); commands that need
    /// labels refuse plain text with ``CorpusError/unlabeled(file:)``.
    public var isLabeled: Bool { self != .text }
}
