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
        let H = step.hidden, width = 4 * H
        let tanhC = step.state + step.planeStride
        for r in 0..<step.rows {
            let i = step.gates + r * width, f = i + H, g = i + 2 * H, o = i + 3 * H
            let di = step.gateGradient + r * width, df = di + H, dg = di + 2 * H, dO = di + 3 * H
            let dh = step.outputGradient + r * H, t = tanhC + r * H, dc = step.stateGradient + r * H
            // c_{t−1} is zero at t = 0, where it has no plane.
            let cPrevious = step.previousState.map { $0 + r * H }
            var j = 0
            while j + 8 <= H {
                let ij = lanes(i, j), fj = lanes(f, j), gj = lanes(g, j), oj = lanes(o, j)
                let dhj = lanes(dh, j), tj = lanes(t, j)
                store(dhj * tj * oj * (1 - oj), dO, j)
                let dcj = lanes(dc, j) + dhj * oj * (1 - tj * tj)
                store(dcj * gj * ij * (1 - ij), di, j)
                store(dcj * ij * (1 - gj * gj), dg, j)
                store(dcj * fj * (1 - fj) * (cPrevious.map { lanes($0, j) } ?? .zero), df, j)
                store(dcj * fj, dc, j)
                j += 8
            }
            while j < H {
                dO[j] = dh[j] * t[j] * o[j] * (1 - o[j])
                let dcj = dc[j] + dh[j] * o[j] * (1 - t[j] * t[j])
                di[j] = dcj * g[j] * i[j] * (1 - i[j])
                dg[j] = dcj * i[j] * (1 - g[j] * g[j])
                df[j] = dcj * f[j] * (1 - f[j]) * (cPrevious?[j] ?? 0)
                dc[j] = dcj * f[j]
                j += 1
            }
        }
    }
}

/// A stack of LSTM layers, as `nn.LSTM`; see `RecurrentStack`.
public typealias LSTM = RecurrentStack<LSTMCell>
