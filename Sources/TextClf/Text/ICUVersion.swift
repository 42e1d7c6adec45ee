import CICU

/// The version of the ICU library that textclf tokenizes with, as "major.minor" (e.g. "72.1").
/// Model files record it, because ICU's word segmentation may change between versions.
public let icuVersion: String = {
    var buffer = [CChar](repeating: 0, count: 32)
    cicu_version(&buffer, Int32(buffer.count))
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}()

/// The version of textclf itself.
public let textclfVersion = "0.1.0"
