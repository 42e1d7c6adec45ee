/// Writes classify's output lines straight into a ``BufferedOutput``: the bytes of
/// ``PredictionFormat/line(text:probabilities:classifier:)`` plus a newline, without making a
/// `String` per line (the labels are encoded once, the numbers and the text byte by byte).
package final class PredictionWriter {
    private let format: PredictionFormat
    private let multilabel: Bool
    /// Each label's UTF-8 bytes, as tsv writes them; fasttext puts `__label__` before them.
    private let labels: [[UInt8]]
    /// Each label as a JSON string literal.
    private let quotedLabels: [[UInt8]]
    /// The label indexes of the line being written, best first; reused from line to line.
    private var chosen: [Int] = []

    /// A writer of `format` lines for the labels of `classifier`.
    package init(format: PredictionFormat, classifier: Classifier) {
        self.format = format
        multilabel = classifier.configuration.multilabel
        labels = classifier.labels.map { Array($0.utf8) }
        quotedLabels = classifier.labels.map { Array(JSONText.quoted($0).utf8) }
        chosen.reserveCapacity(classifier.labels.count)
    }

    /// Appends the line of `text` (valid UTF-8) given its probabilities (nil: no token).
    /// - Throws: ``FileError`` when flushing the output fails.
    package func write(text: UnsafeBufferPointer<UInt8>, probabilities: UnsafeBufferPointer<Float>?,
                       to output: BufferedOutput) throws {
        choose(probabilities)
        switch format.style {
        case .tsv: writeTSV(text, probabilities, output)
        case .jsonl: writeJSON(text, probabilities, output)
        case .fasttext: writeFastText(probabilities, output)
        }
        try output.endLine()
    }

    /// Sets `chosen` to the labels ``Classifier/select(_:k:threshold:)`` picks (all of them in
    /// label order with `allProbabilities`): the `k` best, ties in label order, at or above
    /// the threshold.
    private func choose(_ probabilities: UnsafeBufferPointer<Float>?) {
        chosen.removeAll(keepingCapacity: true)
        guard let probabilities else { return }
        if format.allProbabilities {
            chosen.append(contentsOf: probabilities.indices)
            return
        }
        let limit = format.k ?? (multilabel ? probabilities.count : 1)
        let minimum = format.threshold ?? (multilabel ? 0.5 : 0)
        guard limit > 0 else { return }
        if limit == 1 {
            // The usual case: the first of the largest values.
            var best = 0
            for index in probabilities.indices where probabilities[index] > probabilities[best] { best = index }
            if probabilities[best] >= minimum { chosen.append(best) }
            return
        }
        // Insertion into the best `limit` so far; an equal value goes after the earlier label.
        for index in probabilities.indices {
            let value = probabilities[index]
            if chosen.count == limit && !(value > probabilities[chosen[limit - 1]]) { continue }
            var position = chosen.count
            while position > 0 && value > probabilities[chosen[position - 1]] { position -= 1 }
            if chosen.count == limit { chosen.removeLast() }
            chosen.insert(index, at: position)
        }
        chosen.removeAll { probabilities[$0] < minimum }
    }

    private func writeTSV(_ text: UnsafeBufferPointer<UInt8>, _ probabilities: UnsafeBufferPointer<Float>?,
                          _ output: BufferedOutput) {
        if chosen.isEmpty { output.append(0x09) }
        for (n, label) in chosen.enumerated() {
            if n > 0 { output.append(0x09) }
            output.append(labels[label])
            output.append(0x09)
            Self.appendProbability(probabilities![label], to: output)
        }
        guard format.includeText else { return }
        output.append(0x09)
        if format.escapesText { Self.appendEscaped(text, to: output) } else { output.append(text) }
    }

    private func writeJSON(_ text: UnsafeBufferPointer<UInt8>, _ probabilities: UnsafeBufferPointer<Float>?,
                           _ output: BufferedOutput) {
        output.append(Self.jsonLabels)
        for (n, label) in chosen.enumerated() {
            if n > 0 { output.append(UInt8(ascii: ",")) }
            output.append(quotedLabels[label])
        }
        output.append(Self.jsonProbabilities)
        for (n, label) in chosen.enumerated() {
            if n > 0 { output.append(UInt8(ascii: ",")) }
            Self.appendProbability(probabilities![label], to: output)
        }
        output.append(UInt8(ascii: "]"))
        if format.includeText {
            output.append(Self.jsonText)
            Self.appendQuoted(text, to: output)
        }
        output.append(UInt8(ascii: "}"))
    }

    private func writeFastText(_ probabilities: UnsafeBufferPointer<Float>?, _ output: BufferedOutput) {
        for (n, label) in chosen.enumerated() {
            if n > 0 { output.append(0x20) }
            output.append(Self.labelPrefix)
            output.append(labels[label])
            output.append(0x20)
            Self.appendProbability(probabilities![label], to: output)
        }
    }

    private static let labelPrefix = Array("__label__".utf8)
    private static let jsonLabels = Array("{\"labels\":[".utf8)
    private static let jsonProbabilities = Array("],\"probabilities\":[".utf8)
    private static let jsonText = Array(",\"text\":".utf8)

    /// `formatProbability(value)`'s bytes: the value rounded to 6 decimals, by integers.
    static func appendProbability(_ value: Float, to output: BufferedOutput) {
        let scaled = Int((Double(value) * 1_000_000).rounded())
        appendDigits(of: scaled / 1_000_000, to: output)
        output.append(UInt8(ascii: "."))
        var fraction = scaled % 1_000_000, divisor = 100_000
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }

    /// The decimal digits of `value` ≥ 0.
    private static func appendDigits(of value: Int, to output: BufferedOutput) {
        if value >= 10 { appendDigits(of: value / 10, to: output) }
        output.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// `TokenEscaping.escape` on bytes: backslash, tab, newline and carriage return escaped.
    private static func appendEscaped(_ text: UnsafeBufferPointer<UInt8>, to output: BufferedOutput) {
        for byte in text {
            switch byte {
            case 0x5C: output.append(Self.escapedBackslash)
            case 0x09: output.append(Self.escapedTab)
            case 0x0A: output.append(Self.escapedNewline)
            case 0x0D: output.append(Self.escapedReturn)
            default: output.append(byte)
            }
        }
    }

    /// `JSONText.quoted` on bytes: quotes, backslashes and control characters escaped; bytes
    /// of non-ASCII characters pass as they are.
    private static func appendQuoted(_ text: UnsafeBufferPointer<UInt8>, to output: BufferedOutput) {
        output.append(UInt8(ascii: "\""))
        for byte in text {
            switch byte {
            case 0x22: output.append(Self.escapedQuote)
            case 0x5C: output.append(Self.escapedBackslash)
            case 0x0A: output.append(Self.escapedNewline)
            case 0x0D: output.append(Self.escapedReturn)
            case 0x09: output.append(Self.escapedTab)
            case 0x00 ..< 0x20:
                output.append(Self.unicodeEscape)
                output.append(Self.hexDigits[Int(byte >> 4)])
                output.append(Self.hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static let escapedBackslash = Array("\\\\".utf8)
    private static let escapedTab = Array("\\t".utf8)
    private static let escapedNewline = Array("\\n".utf8)
    private static let escapedReturn = Array("\\r".utf8)
    private static let escapedQuote = Array("\\\"".utf8)
    private static let unicodeEscape = Array("\\u00".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)
}
