import FuzzSupport
import TextClf

/// The model loader on arbitrary bytes: parse, checksum, validation, network; a model that
/// loads also classifies a few texts and describes itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput(data, size).bytes
    guard let file = try? ModelFile(bytes: bytes, name: "fuzz"),
          let classifier = try? Classifier(file: file, name: "fuzz") else { return 0 }
    _ = classifier.predict(batch: ["", "banana", "好 文字 テキスト", String(repeating: "ab ", count: 300)], k: 3)
    return 0
}
