/// Row-wise reductions over [R, C] matrices: softmax (in the numerically stable form, the row
/// maximum subtracted before exponentiating) and column sums.

/// softmax of every row: y[r, j] = e^(x[r, j] − m_r) / Σ_k e^(x[r, k] − m_r), m_r = max_k x[r, k].
func softmaxRows(_ x: Matrix) -> Matrix {
    var y = x
    let C = x.cols
    y.storage.withUnsafeMutableBufferPointer { buffer in
        for r in 0..<x.rows { _ = softmaxRowInPlace(buffer.baseAddress! + r * C, C) }
    }
    return y
}

/// Replaces the C values at `row` by their softmax. Returns the row's maximum m and
/// Σ_k e^(x_k − m), from which log-softmax follows: log p_j = (x_j − m) − log Σ.
@inline(__always)
func softmaxRowInPlace(_ row: UnsafeMutablePointer<Float>, _ C: Int) -> (maximum: Float, sum: Float) {
    let m = rowMaximum(row, C)
    for j in 0..<C { row[j] -= m }
    expInPlace(row, count: C)
    var sum: Float = 0
    for j in 0..<C { sum += row[j] }
    let inverse = 1 / sum
    for j in 0..<C { row[j] *= inverse }
    return (m, sum)
}

/// sums[j] += Σ_r x[r, j]: the bias gradient of a batch, summed over rows in order.
func addColumnSums(_ x: Matrix, into sums: inout [Float]) {
    precondition(sums.count == x.cols, "column sums need \(x.cols) slots, have \(sums.count)")
    let C = x.cols
    x.storage.withUnsafeBufferPointer { values in
        sums.withUnsafeMutableBufferPointer { out in
            for r in 0..<x.rows {
                let row = values.baseAddress! + r * C
                for j in 0..<C { out[j] += row[j] }
            }
        }
    }
}

@inline(__always)
private func rowMaximum(_ row: UnsafeMutablePointer<Float>, _ count: Int) -> Float {
    var m = -Float.infinity
    for j in 0..<count { m = max(m, row[j]) }
    return m
}
