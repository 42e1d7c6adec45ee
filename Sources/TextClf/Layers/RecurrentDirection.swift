/// The memory one direction of one recurrent layer works in for one batch, in that direction's
/// packed order (N = Σ lengths rows, G = gates·H, H hidden units, In inputs): forward fills it,
/// and backward reads it back as the cache.
struct RecurrentWorkspace: Sendable {
    /// [N, In]: the direction's input.
    let input: FloatBuffer
    /// [N, G]: the activated gates.
    let gates: FloatBuffer
    /// [N, H]: h_t.
    let output: FloatBuffer
    /// [planes, N, H]: the cell's state planes.
    let state: FloatBuffer
}

/// Where each step's input projection x·W_ihᵀ comes from.
enum RecurrentStepInput {
    /// The direction's input rows [N, In], packed order, projected by the weights.
    case rows(FloatBuffer)
    /// Rows of a first layer's table [V, G] of x·W_ihᵀ per token id (``RecurrentStack``'s
    /// `inputProjectionTables(embedding:)`), one per packed row, by its id.
    case table(FloatBuffer, ids: [Int])
}

/// The time loops of one direction of one recurrent layer over a `PackedLayout`: forward, then
/// backward through time, for any cell.
struct RecurrentDirection {
    let cell: RecurrentCellArithmetic
    let layout: PackedLayout
    let inputSize: Int
    let hiddenSize: Int

    /// Runs the cell over `input` ([N, In], packed order), which the workspace keeps.
    ///
    /// One product projects every step's input before the loop; each step then does one product
    /// for the running sequences' hidden projection and the cell's elementwise work. With `int8`
    /// (inference only) both products are int8 ones (``RecurrentInt8Weights``).
    func forward(_ input: FloatBuffer, weights: RecurrentWeights, int8: RecurrentInt8Weights? = nil) -> RecurrentWorkspace {
        let H = hiddenSize, G = cell.gateCount * H, N = layout.rowCount
        let workspace = RecurrentWorkspace(
            input: input, gates: FloatBuffer(uninitialized: N * G), output: FloatBuffer(uninitialized: N * H),
            state: FloatBuffer(uninitialized: cell.statePlanes * N * H))
        run(.rows(input), weights: weights, int8: int8, keeping: workspace, output: workspace.output.base)
        return workspace
    }

    /// The evaluation forward pass for inference: writes h_t of every step into `output` ([N, H],
    /// packed order), bit for bit what ``forward(_:weights:int8:)`` computes.
    ///
    /// It keeps nothing for a backward pass, so the gates and cell state of a step live in buffers
    /// of one step's rows, which stay in cache from one step to the next; `forward` gives every
    /// step rows of its own (megabytes for a chunk of long texts, written once and read back from
    /// memory). Each step projects its own input rows, or copies them from a table.
    func infer(_ input: RecurrentStepInput, weights: RecurrentWeights, int8: RecurrentInt8Weights?,
               output: UnsafeMutablePointer<Float>) {
        run(input, weights: weights, int8: int8, keeping: nil, output: output)
    }

    /// The time loop of ``forward(_:weights:int8:)`` (each step's gates and states kept in
    /// `workspace`, the input projected before the loop) and of ``infer(_:weights:int8:output:)``
    /// (no workspace: one step's buffers, reused, and the input projected step by step). Every
    /// value takes the same operations in the same order either way.
    private func run(_ input: RecurrentStepInput, weights: RecurrentWeights, int8: RecurrentInt8Weights?,
                     keeping workspace: RecurrentWorkspace?, output h: UnsafeMutablePointer<Float>) {
        let In = inputSize, H = hiddenSize, G = cell.gateCount * H, N = layout.rowCount
        let separate = cell.separatesHiddenProjection
        let keeps = workspace != nil
        // Without a workspace the gates and states hold one step: its rows are a prefix of the
        // previous step's (sequences are sorted by length), so a cell updates its state in place.
        let stepRows = layout.counts.first ?? 0
        let gates = workspace?.gates ?? FloatBuffer(uninitialized: stepRows * G)
        let state = workspace?.state ?? FloatBuffer(uninitialized: cell.statePlanes * stepRows * H)
        let g = gates.base, s = state.base
        // W_hh packed once for the GEMM: it serves every step, and packing it per step would
        // cost as much as a short step's product.
        let packedHidden = int8 != nil ? nil : weights.hiddenWeight.storage.withUnsafeBufferPointer {
            PackedGemmOperand(.transposed, n: G, k: H, b: $0.baseAddress!, ldb: H)
        }
        let packedInput = int8 != nil ? nil : weights.packedInputWeight
        // Added to every step's pre-activations (with b_hh when the cell does not separate it).
        let bias = FloatBuffer(copying: separate ? weights.inputBias : zip(weights.inputBias, weights.hiddenBias).map { $0 + $1 })
        let hiddenBias = FloatBuffer(copying: separate ? weights.hiddenBias : [])
        let projection = FloatBuffer(uninitialized: separate ? stepRows * G : 0)
        let p = projection.base, b = bias.base

        /// x·W_ihᵀ of `rows` input rows into `gateRows`.
        func project(_ x: UnsafePointer<Float>, rows: Int, into gateRows: UnsafeMutablePointer<Float>) {
            if let int8 {
                int8.input.multiply(input: x, inputStride: In, batch: rows, into: gateRows, outputStride: G, bias: nil)
            } else {
                gemm(m: rows, a: x, lda: In, packed: packedInput!, c: gateRows, ldc: G, accumulate: false)
            }
        }
        if keeps, case .rows(let x) = input { project(x.base, rows: N, into: g) }
        for t in 0..<layout.steps {
            let rows = layout.counts[t], first = layout.offsets[t]
            let previous = t > 0 ? layout.offsets[t - 1] : nil
            let gateRows = keeps ? g + first * G : g
            if !keeps {
                switch input {
                case .rows(let x):
                    project(x.base + first * In, rows: rows, into: gateRows)
                case .table(let table, let ids):
                    for row in 0..<rows { (gateRows + row * G).update(from: table.base + ids[first + row] * G, count: G) }
                }
            }
            if separate {
                for row in 0..<rows { (p + row * G).update(from: hiddenBias.base, count: G) }
            }
            if let previous, let packedHidden {
                gemm(m: rows, a: h + previous * H, lda: H, packed: packedHidden,
                     c: separate ? p : gateRows, ldc: G, accumulate: true)
            } else if let previous, let int8 {
                int8.hidden.multiply(input: h + previous * H, inputStride: H, batch: rows,
                                     into: separate ? p : gateRows, outputStride: G, bias: nil, accumulate: true)
            }
            // The bias joins here, where the step's rows are in cache, not in a pass over all steps.
            for row in 0..<rows {
                let gateRow = gateRows + row * G
                for j in 0..<G { gateRow[j] += b[j] }
            }
            cell.forward(RecurrentForwardStep(
                rows: rows, hidden: H, planeStride: keeps ? N * H : stepRows * H,
                gates: gateRows, projection: p,
                previousOutput: previous.map { UnsafePointer(h + $0 * H) },
                previousState: previous.map { UnsafePointer(keeps ? s + $0 * H : s) },
                state: keeps ? s + first * H : s, output: h + first * H))
        }
    }

    /// Back-propagates through time: consumes dL/dh ([N, H], packed order, in `outputGradient`,
    /// which it changes), adds into the weight and bias gradients, and returns dL/dinput ([N, In]).
    ///
    /// Reuses the cached gates; each step does the cell's elementwise work and one product that
    /// sends the gradient to h_{t−1}; the weight gradients are then one product each over all steps.
    func backward(
        _ outputGradient: FloatBuffer, _ workspace: RecurrentWorkspace, weights: inout RecurrentWeights
    ) -> FloatBuffer {
        let In = inputSize, H = hiddenSize, G = cell.gateCount * H, N = layout.rowCount
        let firstCount = layout.counts.first ?? 0
        let x = workspace.input.base, g = workspace.gates.base, h = workspace.output.base, s = workspace.state.base
        let dh = outputGradient.base
        // Written before read, except previousOutput's step-0 rows, which no product reads.
        let gateGradient = FloatBuffer(uninitialized: N * G)
        let projectionGradient = cell.separatesHiddenProjection ? FloatBuffer(uninitialized: N * G) : gateGradient
        let stateGradient = FloatBuffer(zeros: firstCount * H)
        // previousOutput[row of step t] = h_{t−1} of the same sequence, for t ≥ 1.
        let previousOutput = FloatBuffer(uninitialized: N * H)
        let inputGradient = FloatBuffer(uninitialized: N * In)
        let dGate = gateGradient.base, dProjection = projectionGradient.base, dState = stateGradient.base
        let hPrevious = previousOutput.base
        // W_hh packed once for the product of every step.
        let packedHidden = weights.hiddenWeight.storage.withUnsafeBufferPointer {
            PackedGemmOperand(.none, n: H, k: G, b: $0.baseAddress!, ldb: H)
        }

        for t in (0..<layout.steps).reversed() {
            let rows = layout.counts[t], first = layout.offsets[t]
            let ending = t + 1 < layout.steps ? layout.counts[t + 1] : 0
            // Sequences whose last step is t carry no state gradient in from t + 1.
            if rows > ending {
                (dState + ending * H).update(repeating: 0, count: (rows - ending) * H)
            }
            let previous = t > 0 ? layout.offsets[t - 1] : nil
            cell.backward(RecurrentBackwardStep(
                rows: rows, hidden: H, planeStride: N * H,
                gates: g + first * G,
                previousOutput: previous.map { UnsafePointer(h + $0 * H) },
                previousState: previous.map { UnsafePointer(s + $0 * H) },
                state: s + first * H, output: h + first * H,
                outputGradient: dh + first * H,
                gateGradient: dGate + first * G, projectionGradient: dProjection + first * G,
                previousOutputGradient: previous.map { dh + $0 * H },
                stateGradient: dState))
            if let previous {
                gemm(m: rows, a: dProjection + first * G, lda: G, packed: packedHidden,
                     c: dh + previous * H, ldc: H, accumulate: true)
                (hPrevious + first * H).update(from: h + previous * H, count: rows * H)
            }
        }
        gemm(.transposed, .none, m: G, n: In, k: N, a: dGate, lda: G,
             b: x, ldb: In, c: &weights.inputWeightGrad.storage, ldc: In, accumulate: true)
        if N > firstCount {
            gemm(.transposed, .none, m: G, n: H, k: N - firstCount, a: dProjection + firstCount * G, lda: G,
                 b: hPrevious + firstCount * H, ldb: H, c: &weights.hiddenWeightGrad.storage, ldc: H, accumulate: true)
        }
        if cell.separatesHiddenProjection {
            addColumnSums(dGate, rows: N, columns: G, into: &weights.inputBiasGrad)
            addColumnSums(dProjection, rows: N, columns: G, into: &weights.hiddenBiasGrad)
        } else {
            // b_ih and b_hh enter the same sum, so their gradients are the same column sums.
            var sums = [Float](repeating: 0, count: G)
            addColumnSums(dGate, rows: N, columns: G, into: &sums)
            for j in 0..<G {
                weights.inputBiasGrad[j] += sums[j]
                weights.hiddenBiasGrad[j] += sums[j]
            }
        }
        gemm(.none, .none, m: N, n: In, k: G, a: dGate, lda: G, b: weights.inputWeight.storage, ldb: In,
             c: inputGradient.base, ldc: In, accumulate: false)
        return inputGradient
    }
}
