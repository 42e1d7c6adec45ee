/// The inference form of ``Linear`` with int8 weights: y = x·Wᵀ + b for x [B, In], from W [Out, In]
/// stored as an ``Int8Matrix`` (per-row scales) and b [Out] in float.
///
/// Each input row is quantized on the fly (``Int8Matrix/multiply(_:bias:kernel:)``), so y differs
/// from the float layer with the dequantized weights by at most Σ_c (sx/2)·|W[r, c]| per element,
/// sx = maxabs(x row) / 127. Forward only: there is no backward and no gradient.
@_spi(Internals) public struct QuantizedLinear: Sendable {
    /// W [Out, In] in int8 with one scale per row.
    public let weight: Int8Matrix
    /// b [Out].
    public let bias: [Float]

    /// In, the width of x.
    public var inputSize: Int { weight.cols }
    /// Out, the width of y.
    public var outputSize: Int { weight.rows }

    /// The layer with W quantized per row from `linear`'s weight and its bias kept in float.
    public init(quantizing linear: Linear) {
        self.init(weight: Int8Matrix(quantizing: linear.weight), bias: linear.bias)
    }

    /// The layer over stored int8 weights [Out, In] and a float bias [Out].
    public init(weight: Int8Matrix, bias: [Float]) {
        precondition(bias.count == weight.rows, "bias has \(bias.count) values, weight has \(weight.rows) rows")
        self.weight = weight
        self.bias = bias
    }

    /// y = x·Wᵀ + b for a batch of rows x [B, In]: y [B, Out].
    public func forward(_ x: Matrix) -> Matrix {
        precondition(x.cols == inputSize, "QuantizedLinear expects \(inputSize) inputs, got \(x.cols)")
        return weight.multiply(x, bias: bias)
    }
}
