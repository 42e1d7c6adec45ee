/// One example of a corpus: its text and labels (none for plain text).
public struct LabeledExample: Equatable, Sendable {
    /// The text, as it appears in the corpus.
    public var text: String
    /// The labels, in the order the record gives them; empty for plain text.
    public var labels: [String]
    /// The 1-based line where the record starts (1 for a file of a labeled directory).
    public var line: Int

    /// An example with its text, labels and starting line.
    public init(text: String, labels: [String], line: Int) {
        self.text = text
        self.labels = labels
        self.line = line
    }
}
