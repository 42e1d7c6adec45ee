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

    /// An empty dataset.
    public init() {}

    /// The number of examples.
    public var count: Int { tokenOffsets.count - 1 }

    /// Adds an example: its token ids (not empty) and label indices.
    public mutating func append<Tokens: Collection, Labels: Collection>(tokens: Tokens, labels: Labels)
    where Tokens.Element == Int32, Labels.Element == Int32 {
        tokenIDs.append(contentsOf: tokens)
        tokenOffsets.append(tokenIDs.count)
        labelIDs.append(contentsOf: labels)
        labelOffsets.append(labelIDs.count)
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
        for index in indices {
            result.append(tokens: tokens(of: index), labels: labels(of: index))
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
