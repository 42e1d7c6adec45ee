/// A small open-addressing table from row ids to slots, for a ``SparseRowGradient`` that only
/// ever holds a few thousand rows of a big table, as a training shard's does: a dense index
/// keeps one entry per table row (9 MB per shard with 2M hashed rows) and is read at random.
///
/// Rows go in with linear probing and are never removed one by one: ``clear(slots:)`` empties
/// the positions of every slot at once, so no probe chain is ever cut short.
struct RowSlotHashIndex: Sendable {
    /// The row id at each position, -1 where empty; a power of two long, at most half full.
    private var keys: [Int]
    /// The slot of the row at each position.
    private var slots: [Int32]
    /// The position of each slot's row.
    private var positions: [Int] = []
    /// 64 − log2(capacity): the hash's top bits pick the first position.
    private var shift: Int

    /// An empty index with room for `capacity` / 2 rows before it grows (a power of two).
    init(capacity: Int = 1024) {
        precondition(capacity >= 2 && capacity & (capacity - 1) == 0, "the capacity must be a power of two")
        keys = [Int](repeating: -1, count: capacity)
        slots = [Int32](repeating: 0, count: capacity)
        shift = 64 - capacity.trailingZeroBitCount
    }

    /// Where the search for `row` starts (Fibonacci hashing: row ids in runs spread out).
    private func home(_ row: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: row) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    /// For each id in `ids` except 0 (padding), adds the D values at `source + t·stride` into
    /// that row's values, or, the first time the row comes, gives it the next slot (its id in
    /// `rows`, a copy of the values in `values`): what `ckernels_sparse_accumulate` does with a
    /// dense index, so the sums are bit for bit the same. `rows` and `values` have room for
    /// `rowCount + ids.count` slots.
    /// - Returns: the new number of slots.
    mutating func accumulate(rows: UnsafeMutablePointer<Int>, rowCount: Int, values: UnsafeMutablePointer<Float>,
                             dimension D: Int, ids: UnsafeBufferPointer<Int>, source: UnsafePointer<Float>,
                             stride: Int) -> Int {
        reserve(rowCount + ids.count, placing: rows, count: rowCount)
        var count = rowCount
        let shift = self.shift
        keys.withUnsafeMutableBufferPointer { keys in
            slots.withUnsafeMutableBufferPointer { slots in
                positions.withUnsafeMutableBufferPointer { positions in
                    let mask = keys.count - 1
                    for (t, id) in ids.enumerated() where id != 0 {
                        let from = source + t * stride
                        var p = Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: id) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
                        while keys[p] != id && keys[p] >= 0 { p = (p + 1) & mask }
                        if keys[p] == id {
                            let to = values + Int(slots[p]) * D
                            for j in 0..<D { to[j] += from[j] }
                        } else {
                            keys[p] = id
                            slots[p] = Int32(count)
                            positions[count] = p
                            rows[count] = id
                            (values + count * D).update(from: from, count: D)
                            count += 1
                        }
                    }
                }
            }
        }
        return count
    }

    /// Makes room for `needed` rows, placing the `count` rows already in `rows` again when the
    /// table grows.
    private mutating func reserve(_ needed: Int, placing rows: UnsafePointer<Int>, count: Int) {
        if positions.count < needed { positions.append(contentsOf: repeatElement(0, count: needed - positions.count)) }
        guard needed * 2 > keys.count else { return }
        var capacity = keys.count
        while needed * 2 > capacity { capacity *= 2 }
        keys = [Int](repeating: -1, count: capacity)
        slots = [Int32](repeating: 0, count: capacity)
        shift = 64 - capacity.trailingZeroBitCount
        for slot in 0..<count {
            var p = home(rows[slot])
            while keys[p] >= 0 { p = (p + 1) & (capacity - 1) }
            keys[p] = rows[slot]
            slots[p] = Int32(slot)
            positions[slot] = p
        }
    }

    /// Forgets the rows of the first `count` slots.
    mutating func clear(slots count: Int) {
        for slot in 0..<count { keys[positions[slot]] = -1 }
    }
}
