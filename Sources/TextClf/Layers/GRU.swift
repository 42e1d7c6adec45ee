import CKernels

/// The cell of `nn.GRU`, gates fused in PyTorch's order r, z, n:
/// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
/// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.
///
/// State plane: W_hn h_{t−1} + b_hn, which the gradient of r needs.
public enum GRUCell: RecurrentCell {
    /// The cell's shape and step functions below, for `RecurrentStack`.
    public static let arithmetic = RecurrentCellArithmetic(
        gateCount: 3, statePlanes: 1, separatesHiddenProjection: true, forward: forward, backward: backward)

    static func forward(_ step: RecurrentForwardStep) {
        // One fused pass per row (CKernels): the activations, W_hn h + b_hn kept, and h.
        ckernels_gru_forward(Int64(step.rows), Int64(step.hidden), step.gates, step.projection,
                             step.previousOutput, step.state, step.output)
    }

    static func backward(_ step: RecurrentBackwardStep) {
        // One fused pass per row (CKernels); h_{t−1} is zero at t = 0, and its gradient is then
        // not needed.
        ckernels_gru_backward(Int64(step.rows), Int64(step.hidden), step.gates, step.state, step.previousOutput,
                              step.outputGradient, step.previousOutputGradient, step.gateGradient,
                              step.projectionGradient)
    }
}

/// A stack of GRU layers, as `nn.GRU`; see `RecurrentStack`.
public typealias GRU = RecurrentStack<GRUCell>
