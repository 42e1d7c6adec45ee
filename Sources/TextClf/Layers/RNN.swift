/// The Elman cell of `nn.RNN(nonlinearity='tanh')`: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh).
public enum TanhCell: RecurrentCell {
    public static let gateCount = 1
    public static let statePlanes = 0
    public static let hasSeparateProjectionGradient = false

    public static func forward(_ step: RecurrentForwardStep) {
        let count = step.rows * step.hidden
        let gates = step.gates, projection = step.projection
        for j in 0..<count { gates[j] += projection[j] }
        // Not `tanhInPlace`: see `preciseTanhInPlace` for why the Elman cell needs more digits.
        preciseTanhInPlace(gates, count: count)
        step.output.update(from: gates, count: count)
    }

    // The derivatives are formed in Double: the products of float32 gate values lose digits that
    // SPEC §4's parity rule needs, and this elementwise work is small beside the products.
    public static func backward(_ step: RecurrentBackwardStep) {
        let count = step.rows * step.hidden
        let h = step.gates, dh = step.outputGradient, dGate = step.gateGradient
        for j in 0..<count {
            let hj = Double(h[j])
            dGate[j] = Float(Double(dh[j]) * (1 - hj * hj))
        }
    }
}

/// A stack of Elman RNN layers with tanh, as `nn.RNN`; see `RecurrentStack`.
public typealias RNN = RecurrentStack<TanhCell>
