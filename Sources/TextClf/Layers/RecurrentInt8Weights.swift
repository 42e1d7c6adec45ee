/// One direction of one recurrent layer's weight matrices in int8, for inference: W_ih [G, In]
/// and W_hh [G, H] with per-row scales (``Int8Matrix``).
///
/// With them the forward pass projects every step's input with one int8 product, and each step's
/// h_{t−1} with another, h_{t−1} quantized per row on the fly as every int8 input is (PyTorch's
/// dynamic quantized LSTM also quantizes h each step). The biases and the cell's elementwise
/// work stay float.
@_spi(Internals) public struct RecurrentInt8Weights: Sendable {
    /// W_ih [G, In].
    public let input: Int8Matrix
    /// W_hh [G, H].
    public let hidden: Int8Matrix

    /// The pair from int8 matrices (for instance those a quantized model file stores).
    public init(input: Int8Matrix, hidden: Int8Matrix) {
        precondition(input.rows == hidden.rows, "W_ih has \(input.rows) rows, W_hh \(hidden.rows)")
        self.input = input
        self.hidden = hidden
    }

    /// Both matrices of `weights` quantized per row.
    public init(quantizing weights: RecurrentWeights) {
        self.init(input: Int8Matrix(quantizing: weights.inputWeight), hidden: Int8Matrix(quantizing: weights.hiddenWeight))
    }
}
