import Foundation
import FuzzSupport
import TextClf

/// The vocabulary loader on arbitrary bytes, through the file reader (odd selector) or the
/// string parser a model file uses (even); a loaded vocabulary also encodes a text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVocabulary(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzInput(data, size)
    let vocabulary: Vocabulary?
    if input.selector & 1 == 1 {
        vocabulary = try? Vocabulary(contentsOf: URL(fileURLWithPath: FuzzInput.scratchFile(input.payload, suffix: ".vocab")))
    } else {
        vocabulary = try? Vocabulary(parsing: String(decoding: input.payload, as: UTF8.self), name: "fuzz")
    }
    if let vocabulary {
        var ids: [Int32] = []
        vocabulary.tokenizer.makeSession().encode("the Quick 好 fox", with: vocabulary, maxLength: 8, into: &ids)
        _ = vocabulary.fileContents
    }
    return 0
}
