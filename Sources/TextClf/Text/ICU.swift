import CICU
import Foundation

/// The Swift face of the `CICU` shim; nothing else in the library calls ICU.
///
/// ICU's text transforms follow one length contract: they return the length the output needs,
/// write it when it fits in `capacity`, and return a negative value on an ICU error.
enum ICU {
    /// ICU's version as "major.minor".
    static var version: String {
        var buffer = [CChar](repeating: 0, count: 32)
        cicu_version(&buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// What a segment holds, judged by its characters.
    enum SegmentKind {
        /// Only white space, controls or format characters.
        case space
        /// Punctuation or symbols, no letters, digits or emoji.
        case punctuation
        /// Letters, marks, digits or emoji.
        case word
    }

    /// The kind of a segment of valid UTF-8.
    static func classify(_ segment: UnsafeBufferPointer<UInt8>) -> SegmentKind {
        switch cicu_classify_utf8(segment.baseAddress, Int64(segment.count)) {
        case Int32(CICU_SEGMENT_WORD): return .word
        case Int32(CICU_SEGMENT_PUNCTUATION): return .punctuation
        default: return .space
        }
    }

    static func openBreaker(_ kind: BreakIterator.Kind) -> OpaquePointer? {
        cicu_breaker_open(Int32(kind == .word ? CICU_BREAK_WORD : CICU_BREAK_CHARACTER))
    }

    /// Whether both break iterators open, i.e. ICU's data library is there; checked once.
    static let dataIsAvailable: Bool = [BreakIterator.Kind.word, .character].allSatisfy { kind in
        guard let handle = openBreaker(kind) else { return false }
        cicu_breaker_close(handle)
        return true
    }

    /// A reusable ICU break iterator over UTF-8 text.
    final class BreakIterator {
        enum Kind {
            /// Extended grapheme clusters.
            case character
            /// Words, with dictionary segmentation for CJK and Thai.
            case word
        }

        private let handle: OpaquePointer

        /// Opens the iterator. Entry points that read text call `Tokenizer.checkICUData()`
        /// first and report a missing data library as an error; reaching the trap here means a
        /// caller skipped that check.
        init(_ kind: Kind) {
            guard let handle = ICU.openBreaker(kind) else { preconditionFailure(ICUError.dataMissing.localizedDescription) }
            self.handle = handle
        }

        deinit { cicu_breaker_close(handle) }

        /// Points the iterator at valid UTF-8 `text`, which must outlive the iteration.
        @inline(__always)
        func setText(_ text: UnsafePointer<UInt8>, count: Int) {
            // Valid UTF-8 is never refused; a failure here is a broken ICU installation.
            guard cicu_breaker_set_utf8(handle, text, Int64(count)) == 0 else {
                preconditionFailure("ICU rejected the text")
            }
        }

        /// The next boundary as a byte offset, or nil at the end.
        @inline(__always)
        func next() -> Int? {
            let boundary = cicu_breaker_next(handle)
            return boundary < 0 ? nil : Int(boundary)
        }

        /// The rule status of the last boundary (words: below 100 none, 100 number, 200 letter,
        /// 300 kana, 400 ideograph).
        @inline(__always)
        var ruleStatus: Int32 { cicu_breaker_rule_status(handle) }
    }

    /// The longest UTF-8 text converted and transformed in one ICU call. ICU counts in Int32,
    /// and NFKC (up to 18 units per character) then lowercasing (up to 3) must stay below
    /// 2³¹ units, and their UTF-8 below 2³¹ bytes: 8 MiB in, at most 1.3 GB out.
    static let transformChunkBytes = 8 << 20

    static func utf8ToUTF16(_ source: UnsafeBufferPointer<UInt8>, _ destination: UnsafeMutablePointer<UInt16>,
                            _ capacity: Int32) -> Int32 {
        cicu_utf8_to_utf16(source.baseAddress, Int32(source.count), destination, capacity)
    }

    static func utf16ToUTF8(_ source: UnsafePointer<UInt16>, _ length: Int32,
                            _ destination: UnsafeMutablePointer<UInt8>, _ capacity: Int32) -> Int32 {
        cicu_utf16_to_utf8(source, length, destination, capacity)
    }

    /// NFC or NFKC of UTF-16 text.
    static func normalize(_ form: Tokenizer.Normalization, _ source: UnsafePointer<UInt16>, _ length: Int32,
                          _ destination: UnsafeMutablePointer<UInt16>, _ capacity: Int32) -> Int32 {
        let code = form == .nfkc ? CICU_NORMALIZE_NFKC : CICU_NORMALIZE_NFC
        return cicu_normalize(Int32(code), source, length, destination, capacity)
    }

    /// Full lowercasing of UTF-16 text for the root locale.
    static func lowercase(_ source: UnsafePointer<UInt16>, _ length: Int32,
                          _ destination: UnsafeMutablePointer<UInt16>, _ capacity: Int32) -> Int32 {
        cicu_to_lower(source, length, destination, capacity)
    }
}

/// ICU cannot be used.
public enum ICUError: Error, Equatable, LocalizedError {
    /// The break iterators do not open: ICU's data library (libicudata) is missing or broken.
    case dataMissing

    public var errorDescription: String? {
        "ICU could not load its break-iterator data (libicudata \(Versions.icu)); reinstall ICU (e.g. apt-get install libicu-dev)"
    }
}

extension Tokenizer {
    /// Fails when ICU's data is missing, so that commands and loaders report it as an error
    /// before a tokenizer session would need it.
    /// - Throws: `ICUError.dataMissing`.
    public static func checkICUData() throws {
        guard ICU.dataIsAvailable else { throw ICUError.dataMissing }
    }
}
