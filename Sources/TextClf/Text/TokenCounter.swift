/// Counts tokens by their UTF-8 bytes, the first step of building a ``Vocabulary``.
///
/// ```swift
/// var counter = TokenCounter()
/// let session = Tokenizer().makeSession()
/// session.forEachToken(in: "to be or not to be") { counter.add($0) }
/// counter.distinctCount   // 4
/// ```
@_spi(Internals) public struct TokenCounter: Sendable {
    var table = ByteStringTable()
    var counts: [Int] = []

    /// The number of tokens added, repeats included.
    public private(set) var totalCount = 0

    /// Creates an empty counter.
    public init() {}

    /// The number of distinct tokens.
    public var distinctCount: Int { table.count }

    /// Counts one occurrence of the token spelled by `bytes`.
    /// - Returns: the token's slot, a dense index that never changes while counting, so a
    ///   corpus can be tokenized once and its tokens mapped to vocabulary ids afterwards.
    @discardableResult
    public mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let (index, inserted) = table.insert(bytes)
        if inserted { counts.append(1) } else { counts[index] += 1 }
        totalCount += 1
        return index
    }

    /// Counts `occurrences` of `token`.
    public mutating func add(_ token: String, occurrences: Int = 1) {
        let (index, inserted) = table.insert(token)
        if inserted { counts.append(occurrences) } else { counts[index] += occurrences }
        totalCount += occurrences
    }

    /// Adds every count of `other` to this counter.
    /// - Returns: for each slot of `other`, the slot its token has here.
    public mutating func merge(_ other: TokenCounter) -> [Int32] {
        var slots: [Int32] = []
        slots.reserveCapacity(other.distinctCount)
        for slot in 0..<other.distinctCount {
            let (index, inserted) = other.table.withBytes(at: slot) { table.insert($0) }
            if inserted { counts.append(other.counts[slot]) } else { counts[index] += other.counts[slot] }
            slots.append(Int32(index))
        }
        totalCount += other.totalCount
        return slots
    }

    /// How many times `token` was added.
    public func count(of token: String) -> Int {
        table.find(token).map { counts[$0] } ?? 0
    }
}
