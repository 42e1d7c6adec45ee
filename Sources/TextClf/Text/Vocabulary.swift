/// The mapping between tokens and integer ids, with the tokenizer that produced the tokens.
///
/// Id 0 is padding (`<pad>`), id 1 is unknown (`<unk>`), then ordinary tokens by descending
/// count, ties broken by ascending UTF-8 bytes, so the same counts give the same ids in every
/// run. Lookup takes token bytes and allocates nothing.
///
/// ```swift
/// let vocabulary = Vocabulary(counts: counter, tokenizer: tokenizer, minCount: 2)
/// vocabulary.id(for: "the")        // 2 when "the" is the most frequent token
/// vocabulary.id(for: "zyzzyva")    // Vocabulary.unknownID
/// ```
public struct Vocabulary: Sendable {
    /// The id of padding, which never stands for a token.
    public static let paddingID: Int32 = 0
    /// The id of every token outside the vocabulary.
    public static let unknownID: Int32 = 1
    /// The spellings of the two special entries in files and listings.
    public static let paddingToken = "<pad>", unknownToken = "<unk>"
    static let specialCount = 2

    /// The tokenizer whose tokens these are.
    public let tokenizer: Tokenizer
    /// Ordinary tokens; table index i is id i + 2.
    private var table = ByteStringTable()
    /// Corpus counts by id (0 for the special entries).
    public private(set) var counts: [Int] = [0, 0]

    /// The number of ids, the two special entries included.
    public var count: Int { table.count + Self.specialCount }

    /// Builds a vocabulary from counted tokens.
    /// - Parameters:
    ///   - counts: token counts over the corpus.
    ///   - tokenizer: the tokenizer that produced them, recorded with the vocabulary.
    ///   - minCount: tokens seen fewer times are left out.
    ///   - maxSize: at most this many ordinary tokens are kept (the special entries do not count).
    @_spi(Internals) public init(counts: TokenCounter, tokenizer: Tokenizer, minCount: Int = 1, maxSize: Int? = nil) {
        self.tokenizer = tokenizer
        var kept = counts.counts.indices.filter { counts.counts[$0] >= minCount }
        let table = counts.table
        kept.sort { a, b in
            let countA = counts.counts[a], countB = counts.counts[b]
            if countA != countB { return countA > countB }
            return table.withBytes(at: a) { bytesA in
                table.withBytes(at: b) { bytesB in bytesA.lexicographicallyPrecedes(bytesB) }
            }
        }
        if let maxSize, kept.count > maxSize { kept.removeLast(kept.count - maxSize) }
        for index in kept {
            table.withBytes(at: index) { _ = self.table.insert($0) }
            self.counts.append(counts.counts[index])
        }
    }

    /// A vocabulary of the given ordinary tokens in id order (ids from 2).
    /// - Throws: ``VocabularyError/duplicateToken(_:)`` when a token repeats, or
    ///   ``VocabularyError/emptyToken`` for an empty one.
    package init(tokens: [(token: String, count: Int)], tokenizer: Tokenizer) throws {
        self.tokenizer = tokenizer
        table.reserveCapacity(tokens.count)
        counts.reserveCapacity(Self.specialCount + tokens.count)
        for (token, count) in tokens {
            guard !token.isEmpty else { throw VocabularyError.emptyToken }
            guard table.insert(token).inserted else { throw VocabularyError.duplicateToken(token) }
            counts.append(count)
        }
    }

    /// The id of the token spelled by `bytes`, or ``unknownID``.
    @inline(__always)
    package func id(forUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard let index = table.find(bytes) else { return Self.unknownID }
        return Int32(index + Self.specialCount)
    }

    /// The id of `token`, or ``unknownID``.
    public func id(for token: String) -> Int32 {
        guard let index = table.find(token) else { return Self.unknownID }
        return Int32(index + Self.specialCount)
    }

    /// Whether `token` has an ordinary id.
    public func contains(_ token: String) -> Bool {
        table.find(token) != nil
    }

    /// The token of `id`: `<pad>` and `<unk>` for the special ids.
    public func token(for id: Int32) -> String {
        precondition(id >= 0 && Int(id) < count, "token id \(id) outside the vocabulary of \(count)")
        switch id {
        case Self.paddingID: return Self.paddingToken
        case Self.unknownID: return Self.unknownToken
        default: return table.string(at: Int(id) - Self.specialCount)
        }
    }

    /// The share of the counted corpus tokens that have an ordinary id (0 for an empty count).
    @_spi(Internals) public func coverage(of counts: TokenCounter) -> Double {
        guard counts.totalCount > 0 else { return 0 }
        var covered = 0
        for index in 0 ..< counts.table.count where counts.table.withBytes(at: index, { table.find($0) != nil }) {
            covered += counts.counts[index]
        }
        return Double(covered) / Double(counts.totalCount)
    }
}

extension Vocabulary: Equatable {
    /// Whether two vocabularies have the same tokens in the same order, counts and tokenizer.
    public static func == (a: Vocabulary, b: Vocabulary) -> Bool {
        guard a.tokenizer == b.tokenizer, a.counts == b.counts else { return false }
        for id in Self.specialCount ..< a.count where a.token(for: Int32(id)) != b.token(for: Int32(id)) {
            return false
        }
        return true
    }
}
