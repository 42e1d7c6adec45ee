/// What one direction of one layer keeps from forward for backward, all in that direction's
/// packed order (N = Σ lengths rows, G gates, H hidden units, In inputs).
struct RecurrentDirectionCache: Sendable {
    /// [N, In]: the direction's input.
    var input: [Float]
    /// [N, G·H]: the activated gates.
    var gates: [Float]
    /// [N, H]: h_t.
    var output: [Float]
    /// [planes, N, H]: the cell's state planes (at least one element, so it always has an address).
    var state: [Float]
}

/// The time loops of one direction, over a `PackedLayout`, generic in the cell.
enum RecurrentDirection<Cell: RecurrentCell> {
    /// Runs the cell over `input` ([N, In], packed order).
    ///
    /// One product projects every step's input before the loop; each step then does one product
    /// for the running sequences' hidden projection and the cell's elementwise work, in buffers
    /// allocated once per call.
    static func forward(
        _ input: [Float], layout: PackedLayout, inputSize In: Int, hiddenSize H: Int,
        weights: RecurrentWeights
    ) -> RecurrentDirectionCache {
        let G = Cell.gateCount * H, N = layout.rowCount, planeStride = N * H
        // Wᵀ copies, so the products read B untransposed: the GEMM packs that form with
        // contiguous row copies, which matters for W_hh, packed again at every step.
        let inputWeightT = transposed(weights.inputWeight), hiddenWeightT = transposed(weights.hiddenWeight)
        // Every element of these is written before it is read.
        var gates = uninitializedFloats(N * G)
        var output = uninitializedFloats(N * H)
        var state = uninitializedFloats(max(Cell.statePlanes * N * H, 1))
        let separate = Cell.separatesHiddenProjection
        var projection = [Float](repeating: 0, count: separate ? (layout.counts.first ?? 0) * G : 1)
        // Added to every step's pre-activations (with b_hh when the cell does not separate it).
        let leadingBias = separate ? weights.inputBias : zip(weights.inputBias, weights.hiddenBias).map { $0 + $1 }

        input.withUnsafeBufferPointer { x in
        inputWeightT.withUnsafeBufferPointer { wihT in
        hiddenWeightT.withUnsafeBufferPointer { whhT in
        leadingBias.withUnsafeBufferPointer { bias in
        weights.hiddenBias.withUnsafeBufferPointer { bhh in
        gates.withUnsafeMutableBufferPointer { gatesBuffer in
        output.withUnsafeMutableBufferPointer { outputBuffer in
        state.withUnsafeMutableBufferPointer { stateBuffer in
        projection.withUnsafeMutableBufferPointer { projectionBuffer in
            let g = gatesBuffer.baseAddress!, h = outputBuffer.baseAddress!
            let s = stateBuffer.baseAddress!, p = projectionBuffer.baseAddress!
            gemm(.none, .none, m: N, n: G, k: In, a: x.baseAddress!, lda: In,
                 b: wihT.baseAddress!, ldb: G, c: g, ldc: G, accumulate: false)
            for t in 0..<layout.steps {
                let rows = layout.counts[t], first = layout.offsets[t]
                let previous = t > 0 ? layout.offsets[t - 1] : nil
                if separate {
                    for row in 0..<rows { (p + row * G).update(from: bhh.baseAddress!, count: G) }
                }
                if let previous {
                    gemm(.none, .none, m: rows, n: G, k: H, a: h + previous * H, lda: H,
                         b: whhT.baseAddress!, ldb: G, c: separate ? p : g + first * G, ldc: G, accumulate: true)
                }
                // The bias joins here, where the step's rows are in cache, not in a pass over all steps.
                for row in 0..<rows {
                    let gateRow = g + (first + row) * G
                    for j in 0..<G { gateRow[j] += bias[j] }
                }
                Cell.forward(RecurrentForwardStep(
                    rows: rows, hidden: H, planeStride: planeStride,
                    gates: g + first * G, projection: p,
                    previousOutput: previous.map { UnsafePointer(h + $0 * H) },
                    previousState: previous.map { UnsafePointer(s + $0 * H) },
                    state: s + first * H, output: h + first * H))
            }
        }}}}}}}}}
        return RecurrentDirectionCache(input: input, gates: gates, output: output, state: state)
    }

    /// Back-propagates through time: consumes dL/dh ([N, H], packed order, in `outputGradient`),
    /// adds into the weight and bias gradients, and returns dL/dinput ([N, In]).
    ///
    /// Reuses the cached gates; each step does the cell's elementwise work and one product that
    /// sends the gradient to h_{t−1}; the weight gradients are then one product each over all steps.
    static func backward(
        _ outputGradient: inout [Float], _ cache: RecurrentDirectionCache, layout: PackedLayout,
        inputSize In: Int, hiddenSize H: Int, weights: inout RecurrentWeights
    ) -> [Float] {
        let G = Cell.gateCount * H, N = layout.rowCount, planeStride = N * H
        let firstCount = layout.counts.first ?? 0
        // Written before read, except previousOutput's step-0 rows, which no product reads.
        var gateGradient = uninitializedFloats(N * G)
        var projectionGradient = uninitializedFloats(Cell.separatesHiddenProjection ? N * G : 1)
        var stateGradient = [Float](repeating: 0, count: firstCount * H)
        // previousOutput[row of step t] = h_{t−1} of the same sequence, for t ≥ 1.
        var previousOutput = uninitializedFloats(N * H)
        var inputGradient = uninitializedFloats(N * In)
        // The gradients are moved out of `weights` while the values are read, and back after.
        var inputWeightGradient: [Float] = [], hiddenWeightGradient: [Float] = [], inputBiasGradient: [Float] = [], hiddenBiasGradient: [Float] = []
        swap(&inputWeightGradient, &weights.inputWeightGrad.storage)
        swap(&hiddenWeightGradient, &weights.hiddenWeightGrad.storage)
        swap(&inputBiasGradient, &weights.inputBiasGrad)
        swap(&hiddenBiasGradient, &weights.hiddenBiasGrad)
        defer {
            swap(&inputWeightGradient, &weights.inputWeightGrad.storage)
            swap(&hiddenWeightGradient, &weights.hiddenWeightGrad.storage)
            swap(&inputBiasGradient, &weights.inputBiasGrad)
            swap(&hiddenBiasGradient, &weights.hiddenBiasGrad)
        }
        let wihValues = weights.inputWeight.storage, whhValues = weights.hiddenWeight.storage

        cache.input.withUnsafeBufferPointer { x in
        cache.gates.withUnsafeBufferPointer { gatesBuffer in
        cache.output.withUnsafeBufferPointer { outputBuffer in
        cache.state.withUnsafeBufferPointer { stateBuffer in
        wihValues.withUnsafeBufferPointer { wih in
        whhValues.withUnsafeBufferPointer { whh in
        outputGradient.withUnsafeMutableBufferPointer { dhBuffer in
        gateGradient.withUnsafeMutableBufferPointer { dGateBuffer in
        projectionGradient.withUnsafeMutableBufferPointer { dProjectionBuffer in
        stateGradient.withUnsafeMutableBufferPointer { dStateBuffer in
        previousOutput.withUnsafeMutableBufferPointer { previousBuffer in
        inputGradient.withUnsafeMutableBufferPointer { dxBuffer in
            let g = gatesBuffer.baseAddress!, h = outputBuffer.baseAddress!, s = stateBuffer.baseAddress!
            let dh = dhBuffer.baseAddress!, dGate = dGateBuffer.baseAddress!
            let dProjection = Cell.separatesHiddenProjection ? dProjectionBuffer.baseAddress! : dGate
            let dState = dStateBuffer.baseAddress, hPrevious = previousBuffer.baseAddress!
            for t in (0..<layout.steps).reversed() {
                let rows = layout.counts[t], first = layout.offsets[t]
                let ending = t + 1 < layout.steps ? layout.counts[t + 1] : 0
                // Sequences whose last step is t carry no state gradient in from t + 1.
                if let dState, rows > ending {
                    (dState + ending * H).update(repeating: 0, count: (rows - ending) * H)
                }
                let previous = t > 0 ? layout.offsets[t - 1] : nil
                Cell.backward(RecurrentBackwardStep(
                    rows: rows, hidden: H, planeStride: planeStride,
                    gates: g + first * G,
                    previousOutput: previous.map { UnsafePointer(h + $0 * H) },
                    previousState: previous.map { UnsafePointer(s + $0 * H) },
                    state: s + first * H, output: h + first * H,
                    outputGradient: dh + first * H,
                    gateGradient: dGate + first * G, projectionGradient: dProjection + first * G,
                    previousOutputGradient: previous.map { dh + $0 * H },
                    stateGradient: dState ?? dh))
                if let previous {
                    gemm(.none, .none, m: rows, n: H, k: G, a: dProjection + first * G, lda: G,
                         b: whh.baseAddress!, ldb: H, c: dh + previous * H, ldc: H, accumulate: true)
                    (hPrevious + first * H).update(from: h + previous * H, count: rows * H)
                }
            }
            inputWeightGradient.withUnsafeMutableBufferPointer { dWih in
                gemm(.transposed, .none, m: G, n: In, k: N, a: dGate, lda: G,
                     b: x.baseAddress!, ldb: In, c: dWih.baseAddress!, ldc: In, accumulate: true)
            }
            if N > firstCount {
                hiddenWeightGradient.withUnsafeMutableBufferPointer { dWhh in
                    gemm(.transposed, .none, m: G, n: H, k: N - firstCount, a: dProjection + firstCount * G, lda: G,
                         b: hPrevious + firstCount * H, ldb: H, c: dWhh.baseAddress!, ldc: H, accumulate: true)
                }
            }
            if Cell.separatesHiddenProjection {
                inputBiasGradient.withUnsafeMutableBufferPointer { addColumnSums(dGate, rows: N, columns: G, into: $0.baseAddress!) }
                hiddenBiasGradient.withUnsafeMutableBufferPointer { addColumnSums(dProjection, rows: N, columns: G, into: $0.baseAddress!) }
            } else {
                // b_ih and b_hh enter the same sum, so their gradients are the same column sums.
                var sums = [Float](repeating: 0, count: G)
                addColumnSums(dGate, rows: N, columns: G, into: &sums)
                for j in 0..<G {
                    inputBiasGradient[j] += sums[j]
                    hiddenBiasGradient[j] += sums[j]
                }
            }
            gemm(.none, .none, m: N, n: In, k: G, a: dGate, lda: G, b: wih.baseAddress!, ldb: In,
                 c: dxBuffer.baseAddress!, ldc: In, accumulate: false)
        }}}}}}}}}}}}
        return inputGradient
    }
}

/// An array of `count` floats left as the allocator returns them, for buffers that are
/// entirely written before they are read (zeroing them would be wasted work).
func uninitializedFloats(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

/// The transpose of `matrix`, row-major.
func transposed(_ matrix: Matrix) -> [Float] {
    var result = [Float](repeating: 0, count: matrix.count)
    for r in 0..<matrix.rows {
        for c in 0..<matrix.cols { result[c * matrix.rows + r] = matrix.storage[r * matrix.cols + c] }
    }
    return result
}

/// sums[j] += Σ_r matrix[r, j] over a row-major [rows, columns] matrix.
func addColumnSums(_ matrix: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = matrix + r * columns
        for j in 0..<columns { sums[j] += row[j] }
    }
}
