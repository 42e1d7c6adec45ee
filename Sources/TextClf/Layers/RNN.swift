import CKernels

/// The Elman cell of `nn.RNN(nonlinearity='tanh')`: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh).
public enum TanhCell: RecurrentCell {
    /// The cell's shape and step functions below, for `RecurrentStack`.
    public static let arithmetic = RecurrentCellArithmetic(
        gateCount: 1, statePlanes: 0, separatesHiddenProjection: false, forward: forward, backward: backward)

    static func forward(_ step: RecurrentForwardStep) {
        let count = step.rows * step.hidden
        let gates = step.gates
        // Not `tanhInPlace`: see `preciseTanhInPlace` for why the Elman cell needs more digits.
        preciseTanhInPlace(gates, count: count)
        step.output.update(from: gates, count: count)
    }

    static func backward(_ step: RecurrentBackwardStep) {
        // 1 − h² as (1 − h)(1 + h) (CKernels): exact subtraction where |h| nears 1, instead of
        // the cancellation of 1 − h·h, whose rounding of h·h the parity tests can see.
        ckernels_tanh_backward(Int64(step.rows * step.hidden), step.gates, step.outputGradient, step.gateGradient)
    }
}

/// A stack of Elman RNN layers with tanh, as `nn.RNN`; see `RecurrentStack`.
public typealias RNN = RecurrentStack<TanhCell>
