/// The per-thread working state of a ``Tokenizer``: ICU break iterators and reusable buffers.
///
/// Not thread-safe: give each thread its own session (`tokenizer.makeSession()`). Sessions are
/// cheap to reuse and costly to create, so keep one for many texts.
public final class TokenizerSession {
    /// The options this session tokenizes with.
    public let tokenizer: Tokenizer
    /// The ICU iterator of the level (word or character break); nil for space level.
    private let breaker: ICU.BreakIterator?
    private let utf16A = Scratch<UInt16>()
    private let utf16B = Scratch<UInt16>()
    private let transformed = Scratch<UInt8>()
    /// The transformed chunks of a text too long for one ICU call.
    private let assembled = Scratch<UInt8>(capacity: 0)

    /// Whether text may skip ICU where rules reimplemented here give ICU's segments (ASCII at
    /// word and char level, non-joining characters at char level); tests turn it off to
    /// compare the fast paths with ICU.
    var allowsFastPaths = true

    init(_ tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
        switch tokenizer.level {
        case .word: breaker = ICU.BreakIterator(.word)
        case .char: breaker = ICU.BreakIterator(.character)
        case .space: breaker = nil
        }
    }

    // MARK: - Public entry points

    /// The tokens of `text`, each as a `String`.
    public func tokens(_ text: String) -> [String] {
        var result: [String] = []
        forEachToken(in: text) { token in
            result.append(String(decoding: token, as: UTF8.self))
        }
        return result
    }

    /// Calls `body` with the UTF-8 bytes of each token of `text`, in order. The bytes are only
    /// valid during the call.
    @_spi(Internals) public func forEachToken(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            segment(prepared(bytes)) { token in
                body(token)
                return true
            }
        }
    }

    /// Replaces the contents of `ids` with the vocabulary ids of the first `maxLength` tokens of
    /// `text` (unknown tokens get ``Vocabulary/unknownID``), keeping the array's capacity.
    /// - Returns: whether tokens past `maxLength` were dropped.
    @discardableResult
    public func encode(_ text: String, with vocabulary: Vocabulary, maxLength: Int = .max,
                       into ids: inout [Int32]) -> Bool {
        var text = text
        return text.withUTF8 { encodeValid($0, with: vocabulary, maxLength: maxLength, into: &ids) }
    }

    /// What ``encode(utf8:with:maxLength:into:)`` reports besides the ids.
    package struct EncodeResult: Equatable, Sendable {
        /// Whether tokens past the maximum length were dropped.
        package var truncated: Bool
        /// How many invalid UTF-8 sequences were replaced by U+FFFD first.
        package var repairs: Int
    }

    /// Like ``encode(_:with:maxLength:into:)`` for raw bytes, which need not be valid UTF-8:
    /// invalid sequences become U+FFFD and are counted. Valid input is read in place.
    package func encode(utf8 bytes: UnsafeBufferPointer<UInt8>, with vocabulary: Vocabulary,
                       maxLength: Int = .max, into ids: inout [Int32]) -> EncodeResult {
        if UTF8Repair.isValid(bytes) {
            return EncodeResult(truncated: encodeValid(bytes, with: vocabulary, maxLength: maxLength, into: &ids),
                                repairs: 0)
        }
        var (text, repairs) = UTF8Repair.decode(bytes)
        let truncated = text.withUTF8 { encodeValid($0, with: vocabulary, maxLength: maxLength, into: &ids) }
        return EncodeResult(truncated: truncated, repairs: repairs)
    }

    // MARK: - Pipeline: transform, then segment

    private func encodeValid(_ bytes: UnsafeBufferPointer<UInt8>, with vocabulary: Vocabulary,
                             maxLength: Int, into ids: inout [Int32]) -> Bool {
        ids.removeAll(keepingCapacity: true)
        return forEachID(bytes, with: vocabulary, maxLength: maxLength) { ids.append($0) }.truncated
    }

    /// Appends to `ids` the vocabulary ids of the first `maxLength` tokens of `bytes`, which
    /// must be valid UTF-8, as ``encode(_:with:maxLength:into:)`` computes them: classify
    /// tokenizes a whole chunk of texts into one flat, reused buffer this way.
    /// - Returns: how many ids were appended, and whether tokens past `maxLength` were dropped.
    package func appendIDs(ofValidUTF8 bytes: UnsafeBufferPointer<UInt8>, with vocabulary: Vocabulary,
                           maxLength: Int, to ids: inout [Int]) -> (count: Int, truncated: Bool) {
        forEachID(bytes, with: vocabulary, maxLength: maxLength) { ids.append(Int($0)) }
    }

    /// Calls `emit` with the ids of the first `maxLength` tokens of valid UTF-8 `bytes`.
    private func forEachID(_ bytes: UnsafeBufferPointer<UInt8>, with vocabulary: Vocabulary, maxLength: Int,
                           _ emit: (Int32) -> Void) -> (count: Int, truncated: Bool) {
        guard maxLength > 0 else {
            var any = false
            segment(prepared(bytes)) { _ in
                any = true
                return false
            }
            return (0, any)
        }
        var count = 0, truncated = false
        segment(prepared(bytes)) { token in
            if count == maxLength {
                truncated = true
                return false
            }
            emit(vocabulary.id(forUTF8: token))
            count += 1
            return true
        }
        return (count, truncated)
    }

    private var preparedIsASCII = false

    /// The text after normalization and lowercasing: `bytes` itself when nothing changes it,
    /// otherwise a session buffer. Also records whether the result is pure ASCII.
    private func prepared(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let ascii = Self.isASCII(bytes)
        preparedIsASCII = ascii
        if !tokenizer.lowercase && tokenizer.normalization == .none { return bytes }
        if ascii {
            // Every normalization form leaves ASCII unchanged; lowercasing is a byte map.
            guard tokenizer.lowercase, let base = bytes.baseAddress else { return bytes }
            transformed.reserve(bytes.count)
            let out = transformed.pointer
            for i in 0 ..< bytes.count {
                let b = base[i]
                out[i] = b &- 0x41 < 26 ? b | 0x20 : b
            }
            return UnsafeBufferPointer(start: out, count: bytes.count)
        }
        guard bytes.count > ICU.transformChunkBytes else {
            return transformedByICU(bytes, into: transformed)
        }
        // A text too long for ICU's Int32 lengths goes through in chunks, cut after an ASCII
        // white space so that no normalization or casing context spans a cut.
        var length = 0
        var start = 0
        while start < bytes.count {
            let end = Self.chunkEnd(bytes, from: start, limit: ICU.transformChunkBytes)
            let piece = transformedByICU(UnsafeBufferPointer(rebasing: bytes[start..<end]), into: transformed)
            assembled.reserve(length + piece.count, keeping: length)
            (assembled.pointer + length).update(from: piece.baseAddress!, count: piece.count)
            length += piece.count
            start = end
        }
        return UnsafeBufferPointer(start: assembled.pointer, count: length)
    }

    /// Where a chunk of at most `limit` bytes starting at `start` ends: after the last ASCII
    /// white space in its final 64 KiB, else at the last character boundary.
    private static func chunkEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> Int {
        let end = start + limit
        guard end < bytes.count else { return bytes.count }
        var cut = end
        while cut > end - (1 << 16) {
            let byte = bytes[cut - 1]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { return cut }
            cut -= 1
        }
        cut = end
        while bytes[cut] & 0xC0 == 0x80 { cut -= 1 }  // never inside a UTF-8 sequence
        return cut
    }

    /// Normalization and lowercasing of valid, non-ASCII UTF-8 of at most
    /// `ICU.transformChunkBytes` bytes, through UTF-16, into `output`.
    private func transformedByICU(_ bytes: UnsafeBufferPointer<UInt8>, into output: Scratch<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var length = Self.icuCall(into: utf16A) { ICU.utf8ToUTF16(bytes, $0, $1) }
        var source = utf16A, target = utf16B
        let normalization = tokenizer.normalization
        if normalization != .none {
            let input = source.pointer, inputLength = Int32(length)
            length = Self.icuCall(into: target) { ICU.normalize(normalization, input, inputLength, $0, $1) }
            swap(&source, &target)
        }
        if tokenizer.lowercase {
            let input = source.pointer, inputLength = Int32(length)
            length = Self.icuCall(into: target) { ICU.lowercase(input, inputLength, $0, $1) }
            swap(&source, &target)
        }
        let input = source.pointer, inputLength = Int32(length)
        length = Self.icuCall(into: output) { ICU.utf16ToUTF8(input, inputLength, $0, $1) }
        return UnsafeBufferPointer(start: output.pointer, count: length)
    }

    /// Runs an ICU call that follows the "returns the length needed" contract, growing
    /// `buffer` and retrying once when it was too small.
    private static func icuCall<T>(into buffer: Scratch<T>,
                                   _ call: (UnsafeMutablePointer<T>, Int32) -> Int32) -> Int {
        var needed = call(buffer.pointer, Int32(clamping: buffer.capacity))
        if needed > buffer.capacity {
            buffer.reserve(Int(needed))
            needed = call(buffer.pointer, Int32(clamping: buffer.capacity))
        }
        // Inputs are valid Unicode by construction, so ICU can only fail on memory exhaustion.
        precondition(needed >= 0, "ICU text transform failed with error \(-needed)")
        return Int(needed)
    }

    @inline(__always)
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        var bits: UInt64 = 0
        while i + 8 <= n {
            bits |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            i += 8
        }
        while i < n {
            bits |= UInt64(base[i])
            i += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    /// Calls `emit` with each token of valid UTF-8 `text` until it returns false.
    private func segment(_ text: UnsafeBufferPointer<UInt8>, _ emit: (UnsafeBufferPointer<UInt8>) -> Bool) {
        guard let base = text.baseAddress, text.count > 0 else { return }
        switch tokenizer.level {
        case .space: splitOnWhitespace(base, text.count, emit)
        case .word:
            if allowsFastPaths && (preparedIsASCII || SimpleWordBreak.covers(base, text.count)) {
                splitSimpleWords(base, text.count, emit)
            } else {
                breakWords(base, text.count, emit)
            }
        case .char:
            if preparedIsASCII && allowsFastPaths {
                splitASCIICharacters(base, text.count, emit)
            } else if allowsFastPaths {
                splitSimpleCharacters(base, text.count, emit)
            } else {
                breakCharacters(base, text.count, emit)
            }
        }
    }

    private func splitOnWhitespace(_ base: UnsafePointer<UInt8>, _ n: Int,
                                   _ emit: (UnsafeBufferPointer<UInt8>) -> Bool) {
        var start = 0
        for i in 0 ... n {
            if i == n || ByteClass.isFastTextSpace(base[i]) {
                if i > start, !emit(UnsafeBufferPointer(start: base + start, count: i - start)) { return }
                start = i + 1
            }
        }
    }

    /// In ASCII text every byte is a grapheme cluster except CR LF, which is one.
    private func splitASCIICharacters(_ base: UnsafePointer<UInt8>, _ n: Int,
                                      _ emit: (UnsafeBufferPointer<UInt8>) -> Bool) {
        var i = 0
        while i < n {
            let length = base[i] == 0x0D && i + 1 < n && base[i + 1] == 0x0A ? 2 : 1
            if !emit(UnsafeBufferPointer(start: base + i, count: length)) { return }
            i += length
        }
    }

    private func splitSimpleWords(_ base: UnsafePointer<UInt8>, _ n: Int,
                                  _ emit: (UnsafeBufferPointer<UInt8>) -> Bool) {
        let keepPunctuation = tokenizer.keepPunctuation
        var start = 0
        SimpleWordBreak.segment(base, n) { end, isWord in
            let token = UnsafeBufferPointer(start: base + start, count: end - start)
            start = end
            if isWord { return emit(token) }
            // The rest (spaces, symbols, and numbers such as "²" that ICU gives no number
            // status) are decided by their characters, as on the ICU path.
            let kind = Self.segmentKind(token)
            if kind == .word || (keepPunctuation && kind == .punctuation) { return emit(token) }
            return true
        }
    }

    @inline(__always)
    private static func segmentKind(_ token: UnsafeBufferPointer<UInt8>) -> ICU.SegmentKind {
        token.count == 1 ? ByteClass.asciiSegmentKind(token[0]) : ICU.classify(token)
    }

    private func splitSimpleCharacters(_ base: UnsafePointer<UInt8>, _ n: Int,
                                       _ emit: (UnsafeBufferPointer<UInt8>) -> Bool) {
        SimpleGraphemes.chunks(base, n) { start, end, isOneCodePoint in
            if isOneCodePoint { return emit(UnsafeBufferPointer(start: base + start, count: end - start)) }
            var more = true
            breakCharacters(base + start, end - start) { grapheme in
                more = emit(grapheme)
                return more
            }
            return more
        }
    }

    private func breakCharacters(_ base: UnsafePointer<UInt8>, _ n: Int,
                                 _ emit: (UnsafeBufferPointer<UInt8>) -> Bool) {
        let breaker = self.breaker!
        breaker.setText(base, count: n)
        var start = 0
        while let end = breaker.next() {
            if !emit(UnsafeBufferPointer(start: base + start, count: end - start)) { return }
            start = end
        }
    }

    private func breakWords(_ base: UnsafePointer<UInt8>, _ n: Int,
                            _ emit: (UnsafeBufferPointer<UInt8>) -> Bool) {
        let breaker = self.breaker!
        let keepPunctuation = tokenizer.keepPunctuation
        breaker.setText(base, count: n)
        var start = 0
        while let end = breaker.next() {
            let token = UnsafeBufferPointer(start: base + start, count: end - start)
            start = end
            // Statuses of 100 and up are numbers, letters, kana and ideographs. Below that ICU
            // lumps spaces, punctuation and emoji together, so the characters decide.
            if breaker.ruleStatus < 100 {
                let kind = Self.segmentKind(token)
                if kind == .space || (kind == .punctuation && !keepPunctuation) { continue }
            }
            if !emit(token) { return }
        }
    }
}
