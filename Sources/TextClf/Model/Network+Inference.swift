/// The inference pass ``Classifier`` runs: ``Network/forward(ids:bags:lengths:maxLength:training:generator:)``'s
/// logits without dropout or what backward needs: for a recurrent encoder without the padded
/// [B·T, ·] copies of its input and output, for a convolution bank without recording where
/// each maximum came from.
extension Network {
    /// Logits for a padded batch of ids (as `forward` takes them), bit for bit those of
    /// `forward(ids:lengths:maxLength:training: false)`.
    /// - Parameter tables: a recurrent encoder's first-layer input projections
    ///   (``inputProjectionTables()``), which its first layer then reads instead of projecting
    ///   each embedded token; ignored by the other encoders. The pool encoder runs `forward`.
    func inferenceLogits(ids: [Int], lengths: [Int], maxLength: Int, tables: [FloatBuffer]? = nil) -> Matrix {
        let (rows, rowLengths) = embeddingRows?.rows(ids: ids, lengths: lengths, maxLength: maxLength) ?? (ids, lengths)
        let pooled: Matrix
        if case .cnn(let bank) = encoder {
            let embedded = embedding.forward(ids: rows, lengths: rowLengths, maxLength: maxLength).0
            pooled = bank.forward(embedded, keepsMaxRows: false).0
        } else if let stack = recurrentStack {
            let layout = PackedLayout(lengths: rowLengths, maxLength: maxLength)
            let output = stack.infer(ids: rows, layout: layout, embedding: embedding, tables: tables)
            pooled = pooledRecurrentOutput(output, layout: layout, lengths: rowLengths, maxLength: maxLength)
        } else {
            var unused = SeededGenerator(seed: 0)
            return forward(ids: ids, lengths: lengths, maxLength: maxLength, training: false, generator: &unused).logits
        }
        return int8Output?.forward(pooled) ?? fc.forward(pooled).0
    }

    /// Per direction of the first recurrent layer, x·W_ihᵀ of every embedding row: what a step
    /// would compute for a token, so ``inferenceLogits(ids:lengths:maxLength:tables:)`` gives
    /// the same bits with or without them. Nil when the encoder is not recurrent or runs int8
    /// weights.
    func inputProjectionTables() -> [FloatBuffer]? {
        guard let stack = recurrentStack, stack.int8Weights == nil else { return nil }
        return stack.inputProjectionTables(embedding: embedding.weight)
    }

    /// The floats ``inputProjectionTables()`` would hold (0 when it gives nil).
    var inputProjectionTableSize: Int {
        guard let stack = recurrentStack, stack.int8Weights == nil else { return 0 }
        return embedding.vocabularySize * stack.inputProjectionWidth
    }

    /// The encoder's stack when it is recurrent, whatever its cell.
    private var recurrentStack: (any RecurrentInference)? {
        switch encoder {
        case .rnn(let stack): stack
        case .lstm(let stack): stack
        case .gru(let stack): stack
        case .pool, .cnn: nil
        }
    }

    /// The configured pooling of a recurrent output in packed order ([N, H·dirs]): `last` picks
    /// its rows directly, as ``LastPooling`` picks them from the padded layout; `mean` and `max`
    /// run their layers on the padded layout.
    private func pooledRecurrentOutput(_ output: FloatBuffer, layout: PackedLayout, lengths: [Int], maxLength T: Int) -> Matrix {
        let width = configuration.featureCount
        if configuration.pooling == .last {
            // The forward direction ends at each sequence's last step, the reverse one at step 0.
            let H = configuration.bidirectional ? width / 2 : width
            var pooled = Matrix(rows: lengths.count, cols: width)
            pooled.storage.withUnsafeMutableBufferPointer { out in
                for (row, padded) in layout.paddedRow.enumerated() {
                    let (b, t) = padded.quotientAndRemainder(dividingBy: T)
                    let source = output.base + row * width, target = out.baseAddress! + b * width
                    if t == lengths[b] - 1 { target.update(from: source, count: H) }
                    if t == 0 && H < width { (target + H).update(from: source + H, count: width - H) }
                }
            }
            return pooled
        }
        var padded = Matrix(rows: lengths.count * T, cols: width)
        scatterRows(output.base, sourceStride: width, rows: layout.paddedRow, into: &padded.storage, destinationStride: width, width: width)
        let sequence = SequenceBatch(values: padded, lengths: lengths, maxLength: T)
        return configuration.pooling == .mean ? MeanPooling().forward(sequence).0 : MaxPooling().forward(sequence).0
    }
}
