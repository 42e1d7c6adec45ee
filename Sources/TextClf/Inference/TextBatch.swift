/// Texts held as valid UTF-8 in one reusable byte buffer: classify reads a batch of lines into
/// it without making a `String` per line, and keeps its capacity from batch to batch.
package final class TextBatch {
    private let bytes = Scratch<UInt8>(capacity: 1 << 16)
    private var byteCount = 0
    /// Where each text ends in `bytes`; text i starts where text i − 1 ends.
    private var ends: [Int] = []

    /// An empty batch.
    package init() {}

    /// An empty batch holding `texts`, in order.
    package convenience init<Texts: Sequence>(_ texts: Texts) where Texts.Element == String {
        self.init()
        for text in texts { append(text) }
    }

    /// The number of texts.
    package var count: Int { ends.count }

    /// Forgets every text, keeping the memory for the next batch.
    package func removeAll() {
        byteCount = 0
        ends.removeAll(keepingCapacity: true)
    }

    /// Appends a text given as bytes, which must be valid UTF-8.
    package func append(utf8 text: UnsafeBufferPointer<UInt8>) {
        bytes.reserve(byteCount + text.count, keeping: byteCount)
        if let base = text.baseAddress { (bytes.pointer + byteCount).update(from: base, count: text.count) }
        byteCount += text.count
        ends.append(byteCount)
    }

    /// Appends a text.
    package func append(_ text: String) {
        var text = text
        text.withUTF8 { append(utf8: $0) }
    }

    /// The bytes of text `index`, valid until the batch changes.
    package func text(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeBufferPointer(start: bytes.pointer + start, count: ends[index] - start)
    }
}
