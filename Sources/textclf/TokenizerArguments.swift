import ArgumentParser
import TextClf

extension Tokenizer.Level: ExpressibleByArgument {}
extension Tokenizer.Normalization: ExpressibleByArgument {}

/// The tokenizer options every command that tokenizes shares (SPEC §2).
struct TokenizerArguments: ParsableArguments {
    @Option(help: "Token unit: char (grapheme clusters), word (ICU word break with dictionaries for Chinese, Japanese and Thai) or space (split on whitespace).")
    var level: Tokenizer.Level = .word

    @Flag(help: "Lowercase text with full Unicode rules (after normalization).")
    var lowercase = false

    @Option(help: "Unicode normalization applied first.")
    var normalize: Tokenizer.Normalization = .none

    @Flag(help: "Keep punctuation and symbols as tokens at word level (dropped by default).")
    var keepPunctuation = false

    /// The tokenizer these options describe.
    var tokenizer: Tokenizer {
        Tokenizer(level: level, lowercase: lowercase, normalization: normalize, keepPunctuation: keepPunctuation)
    }
}
