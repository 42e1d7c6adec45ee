import Foundation
import FuzzSupport
import TextClf

/// Corpus readers on arbitrary bytes: the first byte picks the format (by extension, as users
/// name files, or detected), every example is read; errors are fine, traps are findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCorpusReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzInput(data, size)
    let suffixes = [".txt", ".tsv", ".csv", ".jsonl"]
    let path = FuzzInput.scratchFile(input.payload, suffix: suffixes[Int(input.selector) % suffixes.count])
    guard let reader = try? CorpusReader(contentsOf: URL(fileURLWithPath: path)) else { return 0 }
    while let example = try? reader.next() {
        _ = example.text.utf8.count + example.labels.count
    }
    return 0
}
