/// The arrangement `pack_padded_sequence` gives a padded batch, which the recurrent layers run on.
///
/// Sequences are sorted by length, longest first (ties keep batch order), so the sequences still
/// running at step t are the first `counts[t]` of them. Step t occupies the contiguous packed rows
/// `offsets[t] ..< offsets[t] + counts[t]`, one per running sequence in sorted order, and there are
/// `rowCount` = Σ lengths rows in all: no padded step is ever stored or computed.
///
///     lengths [2, 3]  →  sorted [1, 0], counts [2, 2, 1], offsets [0, 2, 4]
///     packed rows: (b1,t0) (b0,t0) (b1,t1) (b0,t1) (b1,t2)
///
/// A reverse direction walks each sequence from its last real step back to its first. Its packed
/// rows have the same counts and offsets (reverse step s of sorted sequence i is its time
/// `lengths − 1 − s`); `reverseRow` maps each reverse-order row to the forward-order row of the
/// same (sequence, time).
struct PackedLayout: Sendable {
    /// Number of sequences running at step t, for t < the longest length.
    let counts: [Int]
    /// First packed row of step t.
    let offsets: [Int]
    /// Σ lengths.
    let rowCount: Int
    /// For each forward-order packed row, its row `b * T + t` in the padded [B·T, ·] layout.
    let paddedRow: [Int]
    /// For each reverse-order packed row, the forward-order packed row of the same step.
    let reverseRow: [Int]

    var steps: Int { counts.count }

    init(lengths: [Int], maxLength T: Int) {
        let order = lengths.indices.sorted { lengths[$0] > lengths[$1] || (lengths[$0] == lengths[$1] && $0 < $1) }
        let steps = lengths.max() ?? 0
        var counts = [Int](repeating: 0, count: steps)
        for length in lengths {
            for t in 0..<length { counts[t] += 1 }
        }
        var offsets = [Int](repeating: 0, count: steps)
        var rowCount = 0
        for t in 0..<steps {
            offsets[t] = rowCount
            rowCount += counts[t]
        }
        var paddedRow = [Int](repeating: 0, count: rowCount)
        var reverseRow = [Int](repeating: 0, count: rowCount)
        for t in 0..<steps {
            for i in 0..<counts[t] {
                let length = lengths[order[i]]
                paddedRow[offsets[t] + i] = order[i] * T + t
                reverseRow[offsets[t] + i] = offsets[length - 1 - t] + i
            }
        }
        self.counts = counts
        self.offsets = offsets
        self.rowCount = rowCount
        self.paddedRow = paddedRow
        self.reverseRow = reverseRow
    }
}
