import CKernels

/// The cell of `nn.LSTM`, gates fused in PyTorch's order i, f, g, o:
/// i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of W_i* x_t + b_i* + W_h* h_{t−1} + b_h*;
/// c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t).
///
/// State planes: c_t, then tanh(c_t) (kept so backward need not recompute it).
public enum LSTMCell: RecurrentCell {
    /// The cell's shape and step functions below, for `RecurrentStack`.
    public static let arithmetic = RecurrentCellArithmetic(
        gateCount: 4, statePlanes: 2, separatesHiddenProjection: false, forward: forward, backward: backward)

    static func forward(_ step: RecurrentForwardStep) {
        // One fused pass per row (CKernels): the activations, c, tanh(c) and h.
        ckernels_lstm_forward(Int64(step.rows), Int64(step.hidden), step.gates, step.previousState,
                              step.state, step.state + step.planeStride, step.output)
    }

    static func backward(_ step: RecurrentBackwardStep) {
        // One fused pass per row (CKernels); c_{t−1} is zero at t = 0, where it has no plane.
        ckernels_lstm_backward(Int64(step.rows), Int64(step.hidden), step.gates, step.state + step.planeStride,
                               step.previousState, step.outputGradient, step.gateGradient, step.stateGradient)
    }
}

/// A stack of LSTM layers, as `nn.LSTM`; see `RecurrentStack`.
public typealias LSTM = RecurrentStack<LSTMCell>
