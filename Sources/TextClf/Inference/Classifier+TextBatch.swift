import CKernels

/// The bytes-level path under ``Classifier/probabilities(_:threads:)`` and classify: texts
/// come from a ``TextBatch``, each chunk tokenizes into one flat id buffer and runs the network
/// in a reused ``InferenceWorkspace``, and the rows land in a reused ``ProbabilityTable``.
extension Classifier {
    /// Fills `table` with the probabilities of every text of `texts`. The texts run in chunks
    /// of ``chunkSize``, in parallel, with identical results for any thread count.
    /// - Parameter threads: the threads this call may use; nil uses the classifier's ``threads``.
    package func probabilities(of texts: TextBatch, into table: ProbabilityTable, threads: Int? = nil) {
        let count = texts.count
        let chunks = (count + Self.chunkSize - 1) / Self.chunkSize
        table.reset(rows: count, width: labels.count, chunks: chunks)
        guard count > 0 else { return }
        // Texts of similar length share a chunk: a recurrent or convolutional chunk runs as many
        // steps as its longest text, so mixed lengths waste steps. A text's probabilities never
        // depend on the texts it shares a chunk with.
        let order = (0..<count).sorted { (texts.text($0).count, $0) < (texts.text($1).count, $1) }
        Parallel.withThreads(threads ?? self.threads) {
            Parallel.forEachShard(chunks) { chunk in
                let indices = order[chunk * Self.chunkSize ..< min(count, (chunk + 1) * Self.chunkSize)]
                let truncated = hashedRows.map { classifyChunk(texts, indices, into: table, hashedRows: $0) }
                    ?? classifyChunk(texts, indices, into: table)
                table.truncatedPerChunk.pointer[chunk] = truncated
            }
        }
    }

    /// Whether the network is the embedding bag of the pool model (mean pooling, every id its
    /// own row), which runs here on the workspace's buffers instead of through its layers.
    private var runsEmbeddingBag: Bool {
        configuration.arch == .pool && configuration.pooling == .mean && network.embeddingRows == nil
    }

    /// Classifies the texts at `indices` of `texts` into their rows of `table`.
    /// - Returns: how many of them had tokens beyond the maximum length.
    private func classifyChunk(_ texts: TextBatch, _ indices: ArraySlice<Int>, into table: ProbabilityTable) -> Int {
        let workspace = workspaces.take()
        defer { workspaces.give(workspace) }
        let truncated = encode(texts, indices, into: workspace)
        guard !workspace.lengths.isEmpty else { return truncated }
        if runsEmbeddingBag {
            let outputs = embeddingBagLogits(workspace)
            probabilitiesInPlace(workspace.logits.pointer, rows: workspace.lengths.count, outputs: outputs)
            store(workspace.logits.pointer, outputs: outputs, rowOfText: workspace.rowOfText, indices: indices, into: table)
        } else {
            let logits = layeredLogits(workspace)
            var probabilities = configuration.loss.probabilities(logits: logits)
            probabilities.storage.withUnsafeMutableBufferPointer { values in
                store(values.baseAddress!, outputs: probabilities.cols, rowOfText: workspace.rowOfText,
                      indices: indices, into: table)
            }
        }
        return truncated
    }

    /// The word n-gram and subword models encode a `String` per text as training does.
    private func classifyChunk(_ texts: TextBatch, _ indices: ArraySlice<Int>, into table: ProbabilityTable,
                               hashedRows: HashedRows) -> Int {
        let strings = indices.map { String(decoding: texts.text($0), as: UTF8.self) }
        let result = probabilities(strings[...], hashedRows: hashedRows)
        for (index, row) in zip(indices, result.rows) {
            guard let row else { continue }
            table.hasTokens.pointer[index] = true
            (table.values.pointer + index * table.width).update(from: row, count: row.count)
        }
        return result.truncated
    }

    /// Tokenizes the texts at `indices` into the workspace's flat id buffer.
    /// - Returns: how many texts had tokens beyond the maximum length.
    private func encode(_ texts: TextBatch, _ indices: ArraySlice<Int>, into workspace: InferenceWorkspace) -> Int {
        let session = sessions.take()
        defer { sessions.give(session) }
        workspace.removeAll()
        var truncated = 0
        for index in indices {
            let (count, cut) = session.appendIDs(ofValidUTF8: texts.text(index), with: vocabulary,
                                                 maxLength: configuration.maxLength, to: &workspace.ids)
            if cut { truncated += 1 }
            if count == 0 {
                workspace.rowOfText.append(-1)
            } else {
                workspace.rowOfText.append(workspace.lengths.count)
                workspace.lengths.append(count)
                workspace.idEnds.append(workspace.ids.count)
            }
        }
        return truncated
    }

    /// The pool model's logits [rows, outputs] in `workspace.logits`: the same sums in the same
    /// order as `Embedding.forwardMeanPooled` then `Linear.forward`, so the same bits.
    /// - Returns: the number of outputs.
    private func embeddingBagLogits(_ workspace: InferenceWorkspace) -> Int {
        let rows = workspace.lengths.count, D = network.embedding.dimension
        let fc = network.fc, outputs = fc.outputSize
        workspace.pooled.reserve(rows * D)
        workspace.logits.reserve(rows * outputs)
        let pooled = workspace.pooled.pointer, logits = workspace.logits.pointer
        network.embedding.weight.storage.withUnsafeBufferPointer { table in
            workspace.ids.withUnsafeBufferPointer { ids in
                for row in 0..<rows {
                    let sum = pooled + row * D, span = workspace.idRange(row)
                    sum.update(repeating: 0, count: D)
                    ckernels_gather_add(table.baseAddress!, Int64(D), ids.baseAddress! + span.lowerBound, Int64(span.count), sum)
                    let inverse = 1 / Float(span.count)
                    for j in 0..<D { sum[j] *= inverse }
                }
            }
        }
        for row in 0..<rows {
            (logits + row * outputs).update(from: fc.bias, count: outputs)
        }
        fc.weight.storage.withUnsafeBufferPointer { weight in
            gemm(.none, .transposed, m: rows, n: outputs, k: D, a: pooled, lda: D,
                 b: weight.baseAddress!, ldb: D, c: logits, ldc: outputs, accumulate: true)
        }
        return outputs
    }

    /// Logits through the network's layers, for the padded ids of the workspace.
    private func layeredLogits(_ workspace: InferenceWorkspace) -> Matrix {
        let T = max(network.encoder.minimumLength, workspace.lengths.max() ?? 1)
        workspace.padded.append(contentsOf: repeatElement(0, count: workspace.lengths.count * T))
        for row in workspace.lengths.indices {
            let span = workspace.idRange(row)
            for (t, id) in workspace.ids[span].enumerated() { workspace.padded[row * T + t] = id }
        }
        let tables = inputProjections.tables(network: network, tokens: workspace.ids.count)
        return network.inferenceLogits(ids: workspace.padded, lengths: workspace.lengths, maxLength: T, tables: tables)
    }

    /// Turns logits [rows, outputs] into probabilities in place, as
    /// `ClassifierConfiguration.Loss.probabilities(logits:)` does (the pair of a single BCE
    /// output is formed when the rows are stored).
    private func probabilitiesInPlace(_ logits: UnsafeMutablePointer<Float>, rows: Int, outputs: Int) {
        if configuration.loss == .ce {
            for row in 0..<rows { _ = softmaxRowInPlace(logits + row * outputs, outputs) }
        } else {
            sigmoidInPlace(logits, count: rows * outputs)
        }
    }

    /// Copies probability rows [rows, outputs] to the table rows of their texts (`rowOfText[i]`
    /// is the row of text `indices[i]`); one output stands for the pair (1 − σ, σ).
    private func store(_ probabilities: UnsafeMutablePointer<Float>, outputs: Int, rowOfText: [Int],
                       indices: ArraySlice<Int>, into table: ProbabilityTable) {
        for (index, row) in zip(indices, rowOfText) where row >= 0 {
            let target = table.values.pointer + index * table.width
            table.hasTokens.pointer[index] = true
            if outputs == 1 && table.width == 2 {
                target[0] = 1 - probabilities[row]
                target[1] = probabilities[row]
            } else {
                target.update(from: probabilities + row * outputs, count: outputs)
            }
        }
    }
}
