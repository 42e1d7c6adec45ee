/// How text becomes tokens: the segmentation level and the text transforms applied first.
///
/// A `Tokenizer` is a plain value, so a vocabulary or model file can store it and restore it
/// exactly. The ICU iterators and buffers that do the work live in a ``TokenizerSession``,
/// one per thread:
///
/// ```swift
/// let tokenizer = Tokenizer(level: .word, lowercase: true)
/// tokenizer.tokens("Hello, World 👋")   // ["hello", "world", "👋"]
/// ```
public struct Tokenizer: Codable, Hashable, Sendable {
    /// The unit a token is made of.
    public enum Level: String, Codable, CaseIterable, Sendable {
        /// Extended grapheme clusters (ICU character break): every user-perceived character,
        /// spaces and punctuation included.
        case char
        /// ICU word break, with dictionary segmentation of Chinese, Japanese and Thai. Spaces
        /// are dropped, and punctuation too unless `keepPunctuation`; emoji are words.
        case word
        /// Runs of text between ASCII whitespace and NUL, as fastText splits already tokenized text.
        case space
    }

    /// The Unicode normalization applied before segmentation.
    public enum Normalization: String, Codable, CaseIterable, Sendable {
        /// The text as it is (fastText's behaviour).
        case none
        /// Canonical composition.
        case nfc
        /// Compatibility composition: full-width forms, ligatures and the like folded.
        case nfkc
    }

    /// The segmentation level; `.word` by default.
    public var level: Level
    /// Whether text is lowercased with ICU's full Unicode lowercasing (root locale), after
    /// normalization.
    public var lowercase: Bool
    /// The normalization form applied first; `.none` by default, as fastText does.
    public var normalization: Normalization
    /// Whether word-level tokenization keeps punctuation and symbols as tokens.
    public var keepPunctuation: Bool

    /// The same names as the vocabulary header's, so model files and vocabularies agree.
    private enum CodingKeys: String, CodingKey {
        case level, lowercase
        case normalization = "normalize"
        case keepPunctuation = "keep_punctuation"
    }

    /// Creates a tokenizer; the defaults are word level with no text transform.
    public init(level: Level = .word, lowercase: Bool = false, normalization: Normalization = .none,
                keepPunctuation: Bool = false) {
        self.level = level
        self.lowercase = lowercase
        self.normalization = normalization
        self.keepPunctuation = keepPunctuation
    }

    /// Opens the per-thread state that tokenizes with these options.
    public func makeSession() -> TokenizerSession {
        TokenizerSession(self)
    }

    /// The tokens of `text`, each as a `String`. Convenient for tests and inspection; the fast
    /// path from text to ids is ``TokenizerSession/encode(_:with:maxLength:into:)``.
    public func tokens(_ text: String) -> [String] {
        makeSession().tokens(text)
    }
}

extension Tokenizer: CustomStringConvertible {
    /// The options as `key=value` pairs, the form vocabulary headers use:
    /// `level=word lowercase=false normalize=none keep_punctuation=false`.
    public var description: String {
        "level=\(level.rawValue) lowercase=\(lowercase) normalize=\(normalization.rawValue) "
            + "keep_punctuation=\(keepPunctuation)"
    }
}
