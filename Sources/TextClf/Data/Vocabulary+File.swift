import Foundation

/// The vocabulary text format (SPEC §3): a header line recording the tokenizer, `<pad>` and
/// `<unk>` by position, then `token<TAB>count` per line, the token escaped by `TokenEscaping`.
///
/// ```
/// #textclf-vocab 1 level=word lowercase=true normalize=none keep_punctuation=false
/// <pad>	0
/// <unk>	0
/// the	1042
/// ```
enum VocabularyFile {
    static let magic = "#textclf-vocab"
    static let version = 1

    /// Parses the header's tokenizer options.
    static func parseHeader(_ line: String, file: String) throws -> Tokenizer {
        func malformed(_ reason: String) -> VocabularyError {
            .malformedLine(file: file, line: 1, reason: reason)
        }
        let words = line.split(separator: " ")
        guard words.first == Substring(magic), words.count >= 2 else {
            throw malformed("not a textclf vocabulary: the first line must start with '\(magic)'")
        }
        guard words[1] == String(version) else {
            throw VocabularyError.unsupportedVersion(file: file, found: String(words[1]), supported: version)
        }
        var values: [String: String] = [:]
        for word in words.dropFirst(2) {
            let pair = word.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw malformed("expected key=value in the header, found '\(word)'") }
            values[String(pair[0])] = String(pair[1])
        }
        func value<T>(_ key: String, _ parse: (String) -> T?) throws -> T {
            guard let text = values.removeValue(forKey: key) else { throw malformed("the header has no \(key)=") }
            guard let parsed = parse(text) else { throw malformed("bad value \(key)=\(text) in the header") }
            return parsed
        }
        let tokenizer = Tokenizer(
            level: try value("level", Tokenizer.Level.init(rawValue:)),
            lowercase: try value("lowercase", Bool.init),
            normalization: try value("normalize", Tokenizer.Normalization.init(rawValue:)),
            keepPunctuation: try value("keep_punctuation", Bool.init))
        if let unknown = values.keys.sorted().first { throw malformed("unknown header key '\(unknown)'") }
        return tokenizer
    }
}

extension Vocabulary {
    /// The vocabulary in the file format, header first, one line per id.
    public var fileContents: String {
        var text = "\(VocabularyFile.magic) \(VocabularyFile.version) \(tokenizer)\n"
        for id in 0 ..< count {
            text += TokenEscaping.escape(token(for: Int32(id))) + "\t" + String(counts[id]) + "\n"
        }
        return text
    }

    /// Writes the vocabulary file to `url`, atomically (a temporary file, then a rename).
    /// - Throws: ``FileError`` when the file cannot be written, with the system's reason.
    public func save(to url: URL) throws {
        try AtomicFileWriter.write(to: url.relativePath) { output in
            try output.write(fileContents)
        }
    }

    /// Reads a vocabulary file.
    /// - Throws: ``FileError`` when it cannot be read, with the system's reason;
    ///   ``VocabularyError`` naming the line that is malformed, a duplicate token or an
    ///   unsupported version.
    public init(contentsOf url: URL) throws {
        let path = url.relativePath
        let reader = try LineReader(path: path)
        try self.init(lines: {
            guard let bytes = try reader.nextLine() else { return nil }
            guard UTF8Repair.isValid(bytes) else {
                throw VocabularyError.malformedLine(file: path, line: reader.lineNumber, reason: "invalid UTF-8")
            }
            return String(decoding: bytes, as: UTF8.self)
        }, lineNumber: { reader.lineNumber }, file: path)
    }

    /// Parses the file format from a string (as a model file embeds it); `name` appears in errors.
    public init(parsing text: String, name: String) throws {
        var lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var index = 0
        try self.init(lines: {
            guard index < lines.count else { return nil }
            index += 1
            var line = String(Substring(lines[index - 1]))
            if line.hasSuffix("\r") { line.removeLast() }
            return line
        }, lineNumber: { index }, file: name)
    }

    private init(lines nextText: () throws -> String?, lineNumber: () -> Int, file: String) throws {
        func malformed(_ reason: String) -> VocabularyError {
            .malformedLine(file: file, line: lineNumber(), reason: reason)
        }
        guard let header = try nextText() else {
            throw VocabularyError.malformedLine(file: file, line: 1, reason: "the file is empty, expected a vocabulary header")
        }
        let tokenizer = try VocabularyFile.parseHeader(header, file: file)
        var tokens: [(token: String, count: Int)] = []
        var seen = TokenCounter()
        var expectedSpecials = [Self.paddingToken, Self.unknownToken]
        while let line = try nextText() {
            guard let tab = line.firstIndex(of: "\t"), line[line.index(after: tab)...].firstIndex(of: "\t") == nil else {
                throw malformed("expected token<TAB>count")
            }
            guard let count = Int(line[line.index(after: tab)...]), count >= 0 else {
                throw malformed("the count is not a non-negative integer")
            }
            guard let token = TokenEscaping.unescape(line[..<tab]) else {
                throw malformed("unknown escape in the token (only \\\\, \\t, \\n, \\r)")
            }
            if !expectedSpecials.isEmpty {
                let special = expectedSpecials.removeFirst()
                guard token == special else { throw malformed("expected \(special) on this line") }
                continue
            }
            guard !token.isEmpty else { throw malformed("empty token") }
            guard seen.count(of: token) == 0 else { throw malformed("the token appears on an earlier line") }
            seen.add(token)
            tokens.append((token, count))
        }
        guard expectedSpecials.isEmpty else {
            throw malformed("the file ends before \(expectedSpecials[0]); it is truncated")
        }
        try self.init(tokens: tokens, tokenizer: tokenizer)
    }
}
