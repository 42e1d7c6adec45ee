/// What optimizers, gradient clipping, zeroing and the model file see of a layer: its named
/// parameter tensors and their gradients, under PyTorch's names (`weight`, `bias`,
/// `weight_ih_l0`, …, without the module prefix such as `fc.` or `rnn.`).
public protocol ParameterContainer {
    /// Calls `body` once per dense parameter, in a fixed order, with its name, its PyTorch
    /// shape, its values and its gradient (same count as the values).
    mutating func forEachParameter(
        _ body: (_ name: String, _ shape: [Int], _ value: inout [Float], _ gradient: inout [Float]) -> Void
    )
}
