/// The cut of `textclf quantize --cutoff N`: an embedding reduced to its N rows of largest L2
/// norm, fastText's criterion for the rows that matter most.
enum EmbeddingCut {
    /// `file` with only `cutoff` embedding rows kept (see ``keeping(_:of:configuration:)``), or
    /// `file` itself when `cutoff` is nil; `name` labels the error.
    /// - Throws: ``QuantizationError/cutoffOutOfRange(_:cutoff:rows:)`` for a cutoff below the
    ///   rows that always stay or above the rows there are.
    static func cut(_ file: ModelFile, to cutoff: Int?, configuration: ClassifierConfiguration,
                    name: String) throws -> ModelFile {
        guard let cutoff else { return file }
        let rows = file.tensors["embedding.weight"]!.shape[0]
        guard (EmbeddingRowIndex.minimumRows...rows).contains(cutoff) else {
            throw QuantizationError.cutoffOutOfRange(name, cutoff: cutoff, rows: rows)
        }
        return keeping(cutoff, of: file, configuration: configuration)
    }

    /// `file` (float, validated as `configuration`) with its embedding cut to `count` rows:
    /// `<pad>`, `<unk>` and the `count − 2` others of largest norm (ties: the lower row). The vocabulary keeps the
    /// tokens of kept rows, in their order; kept hashed ids move down by the tokens dropped, so
    /// that the file's vocabulary size plus a bucket still names the same bucket. The kept ids
    /// go into `embedding.rows` (see ``EmbeddingRowIndex``).
    static func keeping(_ count: Int, of file: ModelFile, configuration: ClassifierConfiguration) -> ModelFile {
        let table = file.tensors["embedding.weight"]!
        let (rows, dim) = (table.shape[0], table.shape[1])
        let V = file.vocabulary.count
        let currentIds = file.embeddingRowIndex(configuration: configuration).map { $0.ids.map(Int.init) } ?? Array(0..<rows)
        // Squared norms rank the rows as the norms do.
        let squaredNorms = (0..<rows).map { r in
            table.values[r * dim ..< (r + 1) * dim].reduce(Float(0)) { $0 + $1 * $1 }
        }
        let ranked = (EmbeddingRowIndex.minimumRows..<rows).sorted {
            squaredNorms[$0] > squaredNorms[$1] || (squaredNorms[$0] == squaredNorms[$1] && $0 < $1)
        }
        let keptRows = (Array(0..<EmbeddingRowIndex.minimumRows) + ranked.prefix(count - EmbeddingRowIndex.minimumRows)).sorted()

        var vocabulary: [String] = []
        for row in keptRows where currentIds[row] < V { vocabulary.append(file.vocabulary[currentIds[row]]) }
        let droppedTokens = V - vocabulary.count
        let ids = keptRows.enumerated().map { position, row in
            Int32(currentIds[row] < V ? position : currentIds[row] - droppedTokens)
        }
        var values: [Float] = []
        values.reserveCapacity(count * dim)
        for row in keptRows { values += table.values[row * dim ..< (row + 1) * dim] }

        var cut = file
        cut.tensors["embedding.weight"] = Tensor(shape: [count, dim], values: values)
        cut.integerTensors[EmbeddingRowIndex.tensorName] = IntegerTensor(dtype: .i32, shape: [count], values: ids)
        cut.vocabulary = vocabulary
        cut.formatVersion = 2
        return cut
    }
}
