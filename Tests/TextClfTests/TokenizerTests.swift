import Foundation
import Testing
@testable import TextClf

@Suite("Tokenizer")
struct TokenizerTests {
    let words = Tokenizer()

    @Test func wordLevelDropsSpacesAndPunctuationByDefault() {
        #expect(words.tokens("Hello, world! It's 3.14 today.") == ["Hello", "world", "It's", "3.14", "today"])
    }

    @Test func keepPunctuationKeepsPunctuationButNotSpaces() {
        let tokenizer = Tokenizer(keepPunctuation: true)
        #expect(tokenizer.tokens("Hello, world!  (ok)") == ["Hello", ",", "world", "!", "(", "ok", ")"])
    }

    @Test func accentedLatinStaysWhole() {
        #expect(words.tokens("café naïve résumé Ångström") == ["café", "naïve", "résumé", "Ångström"])
    }

    @Test func combiningMarksStayWithTheirBaseAndNFCComposesThem() {
        let decomposed = "cafe\u{301} ok"
        #expect(words.tokens(decomposed) == ["cafe\u{301}", "ok"])
        let composed = Tokenizer(normalization: .nfc).tokens(decomposed)
        #expect(composed.map { Array($0.utf8) } == [Array("caf\u{E9}".utf8), Array("ok".utf8)])
        #expect(Tokenizer(level: .char).tokens("e\u{301}e").count == 2)
    }

    @Test func nfkcFoldsCompatibilityForms() {
        #expect(Tokenizer(normalization: .nfkc).tokens("ｆｕｌｌ ﬁne") == ["full", "fine"])
    }

    @Test func lowercaseUsesFullUnicodeRules() {
        let tokenizer = Tokenizer(lowercase: true)
        #expect(tokenizer.tokens("ÉCOLE Straße ΟΔΟΣ HELLO") == ["école", "straße", "οδος", "hello"])
        #expect(tokenizer.tokens("ABC xyz") == ["abc", "xyz"])  // the ASCII fast path
    }

    @Test func emojiAreWordsAndZWJSequencesAreOneGrapheme() {
        let family = "👩\u{200D}👩\u{200D}👧"
        #expect(words.tokens("I love it 😍!! \(family) 🇫🇷") == ["I", "love", "it", "😍", family, "🇫🇷"])
        let characters = Tokenizer(level: .char).tokens("\(family)a")
        #expect(characters == [family, "a"])
    }

    @Test func chineseIsSegmentedIntoWordsByDictionary() {
        let tokens = words.tokens("我喜欢自然语言处理")
        #expect(tokens.joined() == "我喜欢自然语言处理")
        #expect(tokens.count > 1 && tokens.count < 9, "dictionary words, not single characters: \(tokens)")
        #expect(tokens.contains("喜欢") && tokens.contains("自然"))
    }

    @Test func mixedEnglishAndChineseSplitAtScriptBoundaries() {
        let tokens = words.tokens("我喜欢NLP和machine learning。")
        #expect(tokens.contains("NLP") && tokens.contains("machine") && tokens.contains("learning"))
        #expect(tokens.contains("喜欢"))
        #expect(!tokens.contains("。"))
        #expect(tokens.joined() == "我喜欢NLP和machinelearning")
    }

    @Test func japaneseAndThaiAreSegmented() {
        let thai = words.tokens("ภาษาไทยง่ายนิดเดียว")
        #expect(thai.count > 1 && thai.joined() == "ภาษาไทยง่ายนิดเดียว", "\(thai)")
        let japanese = words.tokens("日本語の文章を分割します")
        #expect(japanese.count > 2 && japanese.joined() == "日本語の文章を分割します", "\(japanese)")
    }

    @Test func rightToLeftScriptsSplitOnSpaces() {
        #expect(words.tokens("שלום עולם!") == ["שלום", "עולם"])
        #expect(words.tokens("مرحبا بالعالم") == ["مرحبا", "بالعالم"])
    }

    @Test func emptyAndBlankInputGiveNoTokens() {
        for level in Tokenizer.Level.allCases {
            #expect(Tokenizer(level: level).tokens("").isEmpty)
        }
        #expect(words.tokens(" \t\n ").isEmpty)
        #expect(Tokenizer(level: .space).tokens("  \t ").isEmpty)
    }

    @Test func charLevelKeepsEveryGraphemeIncludingSpaces() {
        let tokenizer = Tokenizer(level: .char)
        #expect(tokenizer.tokens("a b!\r\n") == ["a", " ", "b", "!", "\r\n"])
        for text in ["naïve café", "日本語 text", "Ünïcödé\r\nline", "x\u{301}\u{302}y"] {
            #expect(tokenizer.tokens(text) == text.map(String.init), "ICU and Swift graphemes of \(text)")
        }
    }

    @Test func spaceLevelSplitsOnFastTextWhitespaceOnly() {
        let tokenizer = Tokenizer(level: .space)
        #expect(tokenizer.tokens("a\tb  c\u{0B}d\u{0C}e\rf\ng\u{0}h") == ["a", "b", "c", "d", "e", "f", "g", "h"])
        #expect(tokenizer.tokens("don't,\u{A0}stop") == ["don't,\u{A0}stop"])
    }

    @Test func invalidUTF8IsRepairedAndCounted() {
        let vocabulary = try! Vocabulary(tokens: [("ab", 1), ("cd", 1)], tokenizer: words)
        let session = words.makeSession()
        var ids: [Int32] = []
        let bytes: [UInt8] = [0x61, 0x62, 0x20, 0xFF, 0x20, 0x63, 0x64, 0xC3]
        let result = bytes.withUnsafeBufferPointer { session.encode(utf8: $0, with: vocabulary, into: &ids) }
        #expect(result.repairs == 2)
        #expect(ids == [2, 3])
        let valid = Array("ab cd".utf8).withUnsafeBufferPointer { session.encode(utf8: $0, with: vocabulary, into: &ids) }
        #expect(valid == .init(truncated: false, repairs: 0))
    }

    @Test func encodeLooksUpIdsReplacesTheArrayAndTruncates() {
        let vocabulary = try! Vocabulary(tokens: [("the", 5), ("cat", 2)], tokenizer: words)
        let session = words.makeSession()
        var ids: [Int32] = [99, 99]
        let truncated = session.encode("the cat sat on the mat", with: vocabulary, into: &ids)
        #expect(!truncated)
        #expect(ids == [2, 3, 1, 1, 2, 1])
        #expect(session.encode("the cat sat", with: vocabulary, maxLength: 2, into: &ids))
        #expect(ids == [2, 3])
        #expect(!session.encode("the cat", with: vocabulary, maxLength: 2, into: &ids))
    }

    @Test func sessionReuseAcrossLongAndShortTextsGivesSameTokens() {
        let tokenizer = Tokenizer(lowercase: true, normalization: .nfc)
        let session = tokenizer.makeSession()
        let long = String(repeating: "Ünïcödé Wörds 漢字テキスト ", count: 500)
        #expect(session.tokens(long).count == 500 * (2 + tokenizer.tokens("漢字テキスト").count))
        #expect(session.tokens("Äb") == ["äb"])
        #expect(session.tokens("Äb") == tokenizer.tokens("Äb"))
    }

    @Test func optionsRoundTripThroughCodable() throws {
        let tokenizer = Tokenizer(level: .char, lowercase: true, normalization: .nfkc, keepPunctuation: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(tokenizer)
        #expect(String(decoding: data, as: UTF8.self)
            == #"{"keep_punctuation":true,"level":"char","lowercase":true,"normalize":"nfkc"}"#)
        #expect(try JSONDecoder().decode(Tokenizer.self, from: data) == tokenizer)
    }
}

@Suite("Tokenizer fast paths agree with ICU")
struct TokenizerFastPathTests {
    /// Tokens with and without the fast paths, for every level and punctuation setting.
    private func expectAgreement(_ texts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for level in Tokenizer.Level.allCases {
            for keepPunctuation in [false, true] {
                let tokenizer = Tokenizer(level: level, keepPunctuation: keepPunctuation)
                let fast = tokenizer.makeSession(), icu = tokenizer.makeSession()
                icu.allowsFastPaths = false
                for text in texts where fast.tokens(text) != icu.tokens(text) {
                    Issue.record("\(tokenizer): \(text.debugDescription) gives \(fast.tokens(text)), ICU \(icu.tokens(text))",
                                 sourceLocation: sourceLocation)
                    return
                }
            }
        }
    }

    @Test func randomLatinAndCyrillicRichInSpecialCharactersSegmentAsICUDoes() {
        var generator = SeededGenerator(seed: 7)
        let alphabet = Array("aZ09 .,;:'\"_-!?\t\r\n\u{0B}\u{0C}\u{0}\u{7F}#@/()éßЖ’‘․«»–…\u{A0}²×\u{2027}·©\u{AD}\u{301}中")
        var texts: [String] = []
        for _ in 0 ..< 10000 {
            let length = Int(generator.nextUniform(0, 24))
            var text = ""
            for _ in 0 ..< length {
                text.append(alphabet[min(Int(generator.nextUniform(0, Float(alphabet.count))), alphabet.count - 1)])
            }
            texts.append(text)
        }
        expectAgreement(texts)
        expectAgreement(["e.g. it's 3.14, 1,000.5 a.b.c _a_ a__ __ _ x:y foo@bar.com", "  \r\n\r\n\n\r",
                         "don't stop... 1.2.3; x_1 a'b'c 'quoted' \"dq\" end.", "v2.0-rc1 x86_64 C++ 100%",
                         "l’homme d’État, «citation» — 3,5 % ½ x² über Straße; Привет, мир! ‘a’ 1’000"])
    }

    @Test func randomMixedScriptsWithJoiningCharactersSegmentAsICUDoes() {
        var generator = SeededGenerator(seed: 11)
        let scalars: [Unicode.Scalar] = ["a", " ", "中", "ー", "、", "é", "Ж", "\u{301}", "\u{200D}", "👍", "\u{FE0F}",
                                         "🇫", "🇷", "ह", "ि", "्", "\r", "\n", "각", "\u{1100}", "\u{1161}", "\u{0600}",
                                         "\u{0483}", "\u{3099}", "\u{302A}", "©", "\u{AD}", "\t", "ｱ", "\u{FF9E}"]
        var texts: [String] = []
        for _ in 0 ..< 4000 {
            var text = String.UnicodeScalarView()
            for _ in 0 ..< Int(generator.nextUniform(0, 12)) {
                text.append(scalars[min(Int(generator.nextUniform(0, Float(scalars.count))), scalars.count - 1)])
            }
            texts.append(String(text))
        }
        expectAgreement(texts)
    }

    @Test func shippedCorpusLinesSegmentAsICUDoes() throws {
        let reader = try LineReader(path: TestPaths.repository.appendingPathComponent("corpora/manpages_langid/test.tsv").path)
        var texts: [String] = []
        while let line = try reader.nextString() { texts.append(line) }
        expectAgreement(texts)
    }
}
