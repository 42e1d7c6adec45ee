import FuzzSupport
@_spi(Internals) import TextClf

/// The tokenizer on arbitrary text: the first byte picks level, lowercasing, normalization
/// and punctuation; the rest (invalid UTF-8 repaired as readers repair it) is tokenized and
/// encoded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzInput(data, size)
    let options = Int(input.selector)
    let levels = Tokenizer.Level.allCases, forms = Tokenizer.Normalization.allCases
    let tokenizer = Tokenizer(level: levels[options % levels.count], lowercase: options & 4 != 0,
                              normalization: forms[(options >> 3) % forms.count], keepPunctuation: options & 32 != 0)
    let text = String(decoding: input.payload, as: UTF8.self)
    let session = tokenizer.makeSession()
    let tokens = session.tokens(text)
    var counter = TokenCounter()
    for token in tokens.prefix(50) { counter.add(token) }
    let vocabulary = Vocabulary(counts: counter, tokenizer: tokenizer)
    var ids: [Int32] = []
    session.encode(text, with: vocabulary, maxLength: 64, into: &ids)
    return 0
}
