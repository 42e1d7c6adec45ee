/// The parameters of one direction of one recurrent layer, with the gates of a matrix fused as
/// PyTorch stores them (G gates of H rows each), and their gradients.
///
/// For input size In: `weight_ih` [G·H, In], `weight_hh` [G·H, H], `bias_ih` [G·H],
/// `bias_hh` [G·H]. All start uniform in ±1/√H, as `nn.RNN`, `nn.LSTM` and `nn.GRU` do.
public struct RecurrentWeights: Sendable {
    /// W_ih, [G·H, In].
    public var inputWeight: Matrix
    /// W_hh, [G·H, H].
    public var hiddenWeight: Matrix
    /// b_ih, [G·H].
    public var inputBias: [Float]
    /// b_hh, [G·H].
    public var hiddenBias: [Float]
    /// dL/dW_ih, which backward adds into.
    public var inputWeightGrad: Matrix
    /// dL/dW_hh, which backward adds into.
    public var hiddenWeightGrad: Matrix
    /// dL/db_ih, which backward adds into.
    public var inputBiasGrad: [Float]
    /// dL/db_hh, which backward adds into.
    public var hiddenBiasGrad: [Float]

    /// Draws the parameters in PyTorch's order (weight_ih, weight_hh, bias_ih, bias_hh), each
    /// row-major, uniform in ±1/√H.
    /// - Parameters:
    ///   - gates: G, the gates fused in each matrix.
    ///   - inputSize: In.
    ///   - hiddenSize: H.
    ///   - generator: the source of the uniform draws.
    public init(gates: Int, inputSize: Int, hiddenSize: Int, generator: inout SeededGenerator) {
        let rows = gates * hiddenSize
        let bound = 1 / Float(hiddenSize).squareRoot()
        func draw(_ count: Int) -> [Float] {
            (0..<count).map { _ in generator.nextUniform(-bound, bound) }
        }
        inputWeight = Matrix(rows: rows, cols: inputSize, storage: draw(rows * inputSize))
        hiddenWeight = Matrix(rows: rows, cols: hiddenSize, storage: draw(rows * hiddenSize))
        inputBias = draw(rows)
        hiddenBias = draw(rows)
        inputWeightGrad = Matrix(rows: rows, cols: inputSize)
        hiddenWeightGrad = Matrix(rows: rows, cols: hiddenSize)
        inputBiasGrad = [Float](repeating: 0, count: rows)
        hiddenBiasGrad = [Float](repeating: 0, count: rows)
    }

    /// Lists the four tensors under PyTorch's names with `suffix` (e.g. `_l0`, `_l1_reverse`).
    mutating func forEachParameter(
        suffix: String,
        _ body: (_ name: String, _ shape: [Int], _ value: inout [Float], _ gradient: inout [Float]) -> Void
    ) {
        let rows = inputWeight.rows
        body("weight_ih" + suffix, [rows, inputWeight.cols], &inputWeight.storage, &inputWeightGrad.storage)
        body("weight_hh" + suffix, [rows, hiddenWeight.cols], &hiddenWeight.storage, &hiddenWeightGrad.storage)
        body("bias_ih" + suffix, [rows], &inputBias, &inputBiasGrad)
        body("bias_hh" + suffix, [rows], &hiddenBias, &hiddenBiasGrad)
    }
}

extension RecurrentWeights {
    /// W_ih packed for the products x·W_ihᵀ: the one form every input projection takes, so a
    /// row's projection has the same bits wherever it is computed.
    var packedInputWeight: PackedGemmOperand {
        inputWeight.storage.withUnsafeBufferPointer {
            PackedGemmOperand(.transposed, n: inputWeight.rows, k: inputWeight.cols, b: $0.baseAddress!, ldb: inputWeight.cols)
        }
    }
}
