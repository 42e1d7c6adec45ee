/// Row-wise copies and sums over raw row-major buffers, with explicit row strides so that a
/// block of columns of a wider matrix can be read or written in place.

/// Copies `count` rows of `width` floats between strided layouts.
func copyRows(
    _ source: UnsafePointer<Float>, sourceStride: Int, count: Int,
    into destination: UnsafeMutablePointer<Float>, destinationStride: Int, width: Int
) {
    for r in 0..<count {
        (destination + r * destinationStride).update(from: source + r * sourceStride, count: width)
    }
}

/// Copies rows: `destination[r] = source[rows[r]]` for every r, `width` floats per row.
func gatherRows(
    _ source: UnsafePointer<Float>, sourceStride: Int, rows: [Int],
    into destination: UnsafeMutablePointer<Float>, destinationStride: Int, width: Int
) {
    for (r, s) in rows.enumerated() {
        (destination + r * destinationStride).update(from: source + s * sourceStride, count: width)
    }
}

/// Copies rows the other way: `destination[rows[r]] = source[r]` for every r.
func scatterRows(
    _ source: UnsafePointer<Float>, sourceStride: Int, rows: [Int],
    into destination: UnsafeMutablePointer<Float>, destinationStride: Int, width: Int
) {
    for (r, d) in rows.enumerated() {
        (destination + d * destinationStride).update(from: source + r * sourceStride, count: width)
    }
}

/// Adds rows: `destination[rows[r]] += source[r]` for every r.
func scatterAddRows(
    _ source: UnsafePointer<Float>, sourceStride: Int, rows: [Int],
    into destination: UnsafeMutablePointer<Float>, destinationStride: Int, width: Int
) {
    for (r, d) in rows.enumerated() {
        let from = source + r * sourceStride, to = destination + d * destinationStride
        for j in 0..<width { to[j] += from[j] }
    }
}

/// sums[j] += Σ_r matrix[r, j] over a row-major [rows, columns] matrix.
func addColumnSums(_ matrix: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = matrix + r * columns
        for j in 0..<columns { sums[j] += row[j] }
    }
}
