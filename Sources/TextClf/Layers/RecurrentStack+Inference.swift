/// What a classifier's inference pass needs of a recurrent stack, whatever its cell.
protocol RecurrentInference {
    func infer(ids: [Int], layout: PackedLayout, embedding: Embedding, tables: [FloatBuffer]?) -> FloatBuffer
    func inputProjectionTables(embedding: Matrix) -> [FloatBuffer]
    /// G·dirs: the floats of all of one token's rows in ``inputProjectionTables(embedding:)``.
    var inputProjectionWidth: Int { get }
    var int8Weights: [RecurrentInt8Weights]? { get }
}

/// The inference pass of a recurrent stack, straight from token ids, for ``Classifier``.
extension RecurrentStack: RecurrentInference {
    var inputProjectionWidth: Int { weights[0].inputWeight.rows * directions }

    /// The stack's output for the embedded `ids`: bit for bit what ``forward(_:)`` gives for
    /// `embedding.forward(ids:lengths:maxLength:)`, but in packed order ([N, H·dirs], rows as
    /// `layout` arranges them), through each direction's inference loop, which keeps nothing for
    /// a backward pass.
    /// - Parameters:
    ///   - ids: B·T rows of `embedding`, batch-major, as `layout` was made for.
    ///   - tables: per direction of the first layer, its input projection table
    ///     (``inputProjectionTables(embedding:)``), read instead of projecting embedded rows.
    func infer(ids: [Int], layout: PackedLayout, embedding: Embedding, tables: [FloatBuffer]?) -> FloatBuffer {
        precondition(embedding.dimension == inputSize, "embedding has \(embedding.dimension) columns, layer expects \(inputSize)")
        precondition(tables == nil || tables!.count == directions, "one input projection table per direction")
        let N = layout.rowCount, H = hiddenSize
        let packedIds = layout.paddedRow.map { ids[$0] }
        precondition(packedIds.allSatisfy { $0 >= 0 && $0 < embedding.vocabularySize }, "a token id is outside the embedding")
        let reverseIds = bidirectional && tables != nil ? layout.reverseRow.map { packedIds[$0] } : []
        // Without tables, the first layer reads the embedded rows, id 0 as the zero vector.
        var layerInput: FloatBuffer? = tables != nil ? nil : embeddedRows(packedIds, embedding: embedding)
        for layer in 0..<layers {
            let direction = self.direction(layout: layout, inputSize: layer == 0 ? inputSize : outputSize)
            func run(_ index: Int, _ input: RecurrentStepInput) -> FloatBuffer {
                let output = FloatBuffer(uninitialized: N * H)
                direction.infer(input, weights: weights[layer * directions + index],
                                int8: int8Weights?[layer * directions + index], output: output.base)
                return output
            }
            let forward: FloatBuffer, reverseInput: RecurrentStepInput?
            if let layerInput {
                forward = run(0, .rows(layerInput))
                reverseInput = bidirectional ? .rows(reversedRows(layerInput, layout: layout, width: direction.inputSize)) : nil
            } else {
                forward = run(0, .table(tables![0], ids: packedIds))
                reverseInput = bidirectional ? .table(tables![1], ids: reverseIds) : nil
            }
            layerInput = reverseInput.map { joined(forward, run(1, $0), layout: layout) } ?? forward
        }
        return layerInput!
    }

    /// Per direction of the first layer, x·W_ihᵀ of every row of `embedding` ([V, G]; id 0 as
    /// the zero vector the embedding gives it), each row by the same product, and so to the same
    /// bits, as a step computes it.
    func inputProjectionTables(embedding: Matrix) -> [FloatBuffer] {
        precondition(embedding.cols == inputSize, "embedding has \(embedding.cols) columns, layer expects \(inputSize)")
        return (0..<directions).map { index in
            let packed = weights[index].packedInputWeight, G = packed.n
            let table = FloatBuffer(uninitialized: embedding.rows * G)
            embedding.storage.withUnsafeBufferPointer {
                gemm(m: embedding.rows, a: $0.baseAddress!, lda: inputSize, packed: packed, c: table.base, ldc: G, accumulate: false)
            }
            // The product of a zero row is +0 in every column, whatever row 0 of the table holds.
            table.base.update(repeating: 0, count: G)
            return table
        }
    }

    /// The embedding's rows of `ids` [N, D], as `Embedding.forward` gives them.
    private func embeddedRows(_ ids: [Int], embedding: Embedding) -> FloatBuffer {
        let D = inputSize
        let rows = FloatBuffer(uninitialized: ids.count * D)
        embedding.weight.storage.withUnsafeBufferPointer { table in
            for (row, id) in ids.enumerated() {
                if id == 0 {
                    (rows.base + row * D).update(repeating: 0, count: D)
                } else {
                    (rows.base + row * D).update(from: table.baseAddress! + id * D, count: D)
                }
            }
        }
        return rows
    }

    /// `rows` [N, width] in forward order rearranged into reverse order.
    func reversedRows(_ rows: FloatBuffer, layout: PackedLayout, width: Int) -> FloatBuffer {
        let reversed = FloatBuffer(uninitialized: layout.rowCount * width)
        gatherRows(rows.base, sourceStride: width, rows: layout.reverseRow, into: reversed.base, destinationStride: width, width: width)
        return reversed
    }
}
