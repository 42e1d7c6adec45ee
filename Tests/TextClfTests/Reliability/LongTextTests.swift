import Foundation
import Testing
@testable import TextClf

/// Texts longer than one ICU call takes are lowercased and normalized in chunks, with the
/// same tokens as short texts give.
@Suite("long texts through ICU")
struct LongTextTests {
    @Test(arguments: [Tokenizer.Level.word, .char, .space])
    func aTextPastTheChunkSizeLowercasesLikeShortOnes(_ level: Tokenizer.Level) throws {
        let unit = "ΟΔΟΣ Straße Ä "
        let repeats = ICU.transformChunkBytes / unit.utf8.count + 1000
        let text = String(repeating: unit, count: repeats)
        #expect(text.utf8.count > ICU.transformChunkBytes)
        let tokenizer = Tokenizer(level: level, lowercase: true, normalization: .nfkc)
        let short = tokenizer.tokens(unit)
        let long = tokenizer.tokens(text)
        #expect(long.count == short.count * repeats)
        #expect(Array(long.prefix(short.count)) == short && Array(long.suffix(short.count)) == short)
        #expect(Set(long) == Set(short))
    }

    /// No white space anywhere: the chunks are cut between characters and nothing is lost.
    @Test func aTextWithoutSpacesIsCutBetweenCharacters() {
        let text = String(repeating: "Ä好", count: ICU.transformChunkBytes / 5 + 7)
        let tokens = Tokenizer(level: .char, lowercase: true).tokens(text)
        #expect(tokens.count == 2 * (ICU.transformChunkBytes / 5 + 7))
        #expect(Set(tokens) == ["ä", "好"])
    }

    @Test func icuDataIsThere() throws {
        try Tokenizer.checkICUData()
    }
}
