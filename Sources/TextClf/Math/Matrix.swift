/// A dense Float32 matrix in one contiguous row-major buffer.
///
/// Element (r, c) lives at `storage[r * cols + c]`. Layers keep their weights and gradients in
/// matrices and hand raw pointers with leading dimensions to the kernels (`gemm`).
///
///     var m = Matrix(rows: 2, cols: 3)
///     m[1, 2] = 5        // storage == [0, 0, 0, 0, 0, 5]
public struct Matrix: Equatable, Sendable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let cols: Int
    /// The elements, row-major: element (r, c) at `r * cols + c`.
    public var storage: [Float]

    /// A zero matrix of the given shape.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "matrix shape must not be negative")
        self.rows = rows
        self.cols = cols
        self.storage = [Float](repeating: 0, count: rows * cols)
    }

    /// A matrix over `storage`, which must hold exactly `rows * cols` row-major values.
    public init(rows: Int, cols: Int, storage: [Float]) {
        precondition(storage.count == rows * cols, "storage holds \(storage.count) values, shape needs \(rows * cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// The number of elements, rows × cols.
    public var count: Int { storage.count }

    /// The element at `row`, `col`.
    public subscript(row: Int, col: Int) -> Float {
        get { storage[row * cols + col] }
        set { storage[row * cols + col] = newValue }
    }

    /// Sets every element to zero, keeping the shape and the allocation.
    public mutating func zero() {
        storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}
