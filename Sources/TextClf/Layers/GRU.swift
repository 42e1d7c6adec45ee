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
        let H = step.hidden, width = 3 * H
        for row in 0..<step.rows {
            let r = step.gates + row * width, z = r + H, n = r + 2 * H
            let projection = step.projection + row * width
            let hn = step.state + row * H
            for j in 0..<2 * H { r[j] += projection[j] }
            sigmoidInPlace(r, count: 2 * H)
            for j in 0..<H {
                hn[j] = projection[2 * H + j]
                n[j] += r[j] * hn[j]
            }
            tanhInPlace(n, count: H)
            let h = step.output + row * H
            if let previous = step.previousOutput {
                let hPrevious = previous + row * H
                for j in 0..<H { h[j] = (1 - z[j]) * n[j] + z[j] * hPrevious[j] }
            } else {
                for j in 0..<H { h[j] = (1 - z[j]) * n[j] }
            }
        }
    }

    static func backward(_ step: RecurrentBackwardStep) {
        let H = step.hidden, width = 3 * H
        for row in 0..<step.rows {
            let r = step.gates + row * width, z = r + H, n = r + 2 * H
            let hn = step.state + row * H, dh = step.outputGradient + row * H
            let dr = step.gateGradient + row * width, dz = dr + H, dn = dr + 2 * H
            let dProjection = step.projectionGradient + row * width
            // h_{t−1} is zero at t = 0, and its gradient is then not needed.
            let hPrevious = step.previousOutput.map { $0 + row * H }
            let dhPrevious = step.previousOutputGradient.map { $0 + row * H }
            var j = 0
            while j + 8 <= H {
                let rj = lanes(r, j), zj = lanes(z, j), nj = lanes(n, j), dhj = lanes(dh, j)
                let hp = hPrevious.map { lanes($0, j) } ?? .zero
                store(dhj * (hp - nj) * zj * (1 - zj), dz, j)
                if let dhPrevious { store(lanes(dhPrevious, j) + dhj * zj, dhPrevious, j) }
                let dnPre = dhj * (1 - zj) * (1 - nj * nj)
                store(dnPre, dn, j)
                store(dnPre * rj, dProjection + 2 * H, j)
                store(dnPre * lanes(hn, j) * rj * (1 - rj), dr, j)
                j += 8
            }
            while j < H {
                dz[j] = dh[j] * ((hPrevious?[j] ?? 0) - n[j]) * z[j] * (1 - z[j])
                if let dhPrevious { dhPrevious[j] += dh[j] * z[j] }
                let dnPre = dh[j] * (1 - z[j]) * (1 - n[j] * n[j])
                dn[j] = dnPre
                dProjection[2 * H + j] = dnPre * r[j]
                dr[j] = dnPre * hn[j] * r[j] * (1 - r[j])
                j += 1
            }
            dProjection.update(from: dr, count: 2 * H)
        }
    }
}

/// A stack of GRU layers, as `nn.GRU`; see `RecurrentStack`.
public typealias GRU = RecurrentStack<GRUCell>
