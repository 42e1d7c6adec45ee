/// A corpus after tokenization: every example's token ids and label indices in flat arrays,
/// so a corpus is tokenized once per run and held compactly in memory.
///
/// Example i has tokens `tokenIDs[tokenOffsets[i]..<tokenOffsets[i + 1]]` and labels
/// `labelIDs[labelOffsets[i]..<labelOffsets[i + 1]]` (indices into the model's label list).
public struct EncodedDataset: Sendable {
    private(set) var tokenIDs: [Int32] = []
    private(set) var tokenOffsets: [Int] = [0]
    private(set) var labelIDs: [Int32] = []
    private(set) var labelOffsets: [Int] = [0]
    /// With word n-grams or subwords: the rows and the unknown tokens' subwords
    /// (`EncodedDataset+HashedRows.swift`); nil otherwise.
    var hashed: HashedStorage?

    /// An empty dataset.
    public init() {}

    /// The number of examples.
    public var count: Int { tokenOffsets.count - 1 }

    /// Adds an example: its token ids (not empty) and label indices. A dataset with hashed rows
    /// takes whole examples instead (`append(_:labels:)`).
    public mutating func append<Tokens: Collection, Labels: Collection>(tokens: Tokens, labels: Labels)
    where Tokens.Element == Int32, Labels.Element == Int32 {
        tokenIDs.append(contentsOf: tokens)
        tokenOffsets.append(tokenIDs.count)
        labelIDs.append(contentsOf: labels)
        labelOffsets.append(labelIDs.count)
    }

    /// Adds example `index` of `other` (a dataset of the same hashed rows, or both without)
    /// with `labels` in place of its own.
    mutating func append<Labels: Collection>(example index: Int, of other: EncodedDataset, labels: Labels)
    where Labels.Element == Int32 {
        append(tokens: other.tokens(of: index), labels: labels)
        if let source = other.hashed {
            hashed!.append(copying: index, of: source,
                           tokens: other.tokenOffsets[index] ..< other.tokenOffsets[index + 1])
        }
    }

    /// The token ids of example `example`.
    public func tokens(of example: Int) -> ArraySlice<Int32> {
        tokenIDs[tokenOffsets[example]..<tokenOffsets[example + 1]]
    }

    /// The label indices of example `example`.
    public func labels(of example: Int) -> ArraySlice<Int32> {
        labelIDs[labelOffsets[example]..<labelOffsets[example + 1]]
    }

    /// The number of tokens of example `example`.
    public func length(of example: Int) -> Int {
        tokenOffsets[example + 1] - tokenOffsets[example]
    }

    /// The examples at `indices`, in that order.
    public func subset<Indices: Sequence>(_ indices: Indices) -> EncodedDataset where Indices.Element == Int {
        var result = EncodedDataset()
        result.hashed = hashed.map { HashedStorage(rows: $0.rows) }
        for index in indices {
            result.append(example: index, of: self, labels: labels(of: index))
        }
        return result
    }

    /// A reproducible split: `fraction` of the examples (at least one, and at least one left
    /// for training) chosen by `seed` go to the second dataset, the rest keep their order.
    package func split(holdingOut fraction: Double, seed: UInt64) -> (train: EncodedDataset, held: EncodedDataset) {
        var order = Array(0..<count)
        var rng = SeededGenerator(seed: seed)
        rng.shuffle(&order)
        let heldCount = min(max(1, Int((Double(count) * fraction).rounded())), count - 1)
        let held = Set(order.prefix(heldCount))
        return (subset((0..<count).filter { !held.contains($0) }), subset((0..<count).filter { held.contains($0) }))
    }

    /// How many examples carry each label, for `labelCount` labels.
    public func labelCounts(labelCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: labelCount)
        for label in labelIDs { counts[Int(label)] += 1 }
        return counts
    }
}
