import Foundation

/// RFC 4180 CSV: comma-separated fields, optionally in double quotes, where `""` is a quote
/// and a quoted field may span lines.
enum CSVRecords {
    private static let quote: UInt8 = 0x22, comma: UInt8 = 0x2C

    /// The fields of the next record and the line it starts on; nil at the end. Blank lines
    /// between records are skipped.
    static func next(from lines: LineReader) throws -> (fields: [String], line: Int)? {
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false, wasQuoted = false, afterClosingQuote = false
        var startLine = 0
        func malformed(_ reason: String) -> CorpusError {
            .malformedRecord(file: lines.name, line: lines.lineNumber, reason: reason)
        }
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
            afterClosingQuote = false
        }
        while let text = try lines.nextString() {
            if startLine == 0 {
                if text.isEmpty { continue }
                startLine = lines.lineNumber
            } else {
                field.append(0x0A)  // the line break inside a quoted field is part of it
            }
            for byte in text.utf8 {
                if inQuotes {
                    if byte == quote {
                        inQuotes = false
                        afterClosingQuote = true
                    } else {
                        field.append(byte)
                    }
                } else if afterClosingQuote {
                    if byte == quote {
                        field.append(quote)
                        inQuotes = true
                        afterClosingQuote = false
                    } else if byte == comma {
                        endField()
                    } else {
                        throw malformed("unexpected character after a closing quote (CSV)")
                    }
                } else if byte == comma {
                    endField()
                } else if byte == quote {
                    guard field.isEmpty && !wasQuoted else {
                        throw malformed("a quote inside an unquoted field; quote the whole field and double the quote (CSV)")
                    }
                    inQuotes = true
                    wasQuoted = true
                } else {
                    field.append(byte)
                }
            }
            if !inQuotes {
                endField()
                return (fields, startLine)
            }
        }
        if startLine != 0 {
            throw CorpusError.malformedRecord(file: lines.name, line: startLine,
                                              reason: "quoted field not closed before the end of the file (CSV)")
        }
        return nil
    }
}

/// The columns of a CSV corpus, read from its header.
struct CSVHeader {
    let textColumn: Int
    let labelColumn: Int
    let columnCount: Int

    /// Reads the header; nil for an empty file.
    /// - Throws: ``CorpusError/missingColumn(file:column:)`` without `text` or `label` columns.
    init?(reading lines: LineReader) throws {
        guard let (names, _) = try CSVRecords.next(from: lines) else { return nil }
        let normalized = names.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let text = normalized.firstIndex(of: "text") else {
            throw CorpusError.missingColumn(file: lines.name, column: "text")
        }
        guard let label = normalized.firstIndex(of: "label") else {
            throw CorpusError.missingColumn(file: lines.name, column: "label")
        }
        textColumn = text
        labelColumn = label
        columnCount = names.count
    }

    func nextRecord(from lines: LineReader) throws -> LabeledExample? {
        guard let (fields, line) = try CSVRecords.next(from: lines) else { return nil }
        guard fields.count == columnCount else {
            throw CorpusError.malformedRecord(
                file: lines.name, line: line,
                reason: "\(fields.count) fields where the header names \(columnCount) (CSV)")
        }
        guard !fields[labelColumn].isEmpty else {
            throw CorpusError.malformedRecord(file: lines.name, line: line, reason: "empty label (CSV)")
        }
        return LabeledExample(text: fields[textColumn], labels: [fields[labelColumn]], line: line)
    }
}
