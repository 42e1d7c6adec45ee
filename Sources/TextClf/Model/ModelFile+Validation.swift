/// The checks after the checksum (SPEC §3): the configuration's ranges, the tensors' names and
/// shapes against it, then finite weights. Only then may a network be built from the file.
extension ModelFile {
    /// The file's configuration, once everything in the file is known to be usable.
    /// - Parameter name: labels errors (usually the path).
    /// - Throws: `ModelFileError.malformed` when the config, vocabulary or labels cannot be read
    ///   or the tensors do not fit the configuration, `.invalidConfiguration` for a value out of
    ///   range, `.nonFiniteWeight` for a NaN or infinite weight.
    public func validatedConfiguration(name: String) throws -> ClassifierConfiguration {
        let configuration = try ClassifierConfiguration(modelFile: self, name: name)
        if let problem = configuration.problem(labelCount: labels.count) {
            throw ModelFileError.invalidConfiguration(name, reason: problem)
        }
        guard configuration.minimumFormatVersion <= formatVersion else {
            throw ModelFileError.malformed(name, reason: "n-gram or subword rows need format version 2, the file says \(formatVersion)")
        }
        guard vocabulary.count >= Vocabulary.specialCount else {
            throw ModelFileError.malformed(name, reason: "the vocabulary lacks <pad> and <unk>")
        }
        guard Set(labels).count == labels.count else {
            throw ModelFileError.malformed(name, reason: "a label appears twice")
        }
        guard var expected = configuration.tensorShapes(vocabularySize: vocabulary.count, labelCount: labels.count) else {
            throw ModelFileError.invalidConfiguration(name, reason: "the sizes are too large")
        }
        if let problem = quantizedLayoutProblem(configuration: configuration) {
            throw ModelFileError.malformed(name, reason: problem)
        }
        if let cut = integerTensors[EmbeddingRowIndex.tensorName] { expected["embedding.weight"]![0] = cut.values.count }
        // Quantized matrices are checked by the shapes they dequantize to.
        let stored = logicalTensorShapes
        for tensorName in expected.keys.sorted() {
            let found = stored[tensorName]
            guard found == expected[tensorName] else {
                let error = NetworkError.tensorMismatch(tensorName, expected: expected[tensorName]!, found: found)
                throw ModelFileError.malformed(name, reason: error.localizedDescription)
            }
        }
        if let extra = stored.keys.sorted().first(where: { expected[$0] == nil }) {
            throw ModelFileError.malformed(name, reason: NetworkError.unexpectedTensor(extra).localizedDescription)
        }
        for tensorName in tensors.keys.sorted() where !allFinite(tensors[tensorName]!.values) {
            throw ModelFileError.nonFiniteWeight(name, tensor: tensorName)
        }
        return configuration
    }
}

/// Whether no value is NaN or infinite, in one pass without branches that the compiler can
/// vectorize: the table of a large vocabulary holds tens of millions of weights.
private func allFinite(_ values: [Float]) -> Bool {
    values.withUnsafeBufferPointer { values in
        // An all-ones exponent (NaN or infinity) is the one that carries into bit 31 when
        // its lowest bit is added.
        var carries: UInt32 = 0
        for value in values {
            carries |= ((value.bitPattern & 0x7F80_0000) &+ 0x0080_0000) & 0x8000_0000
        }
        return carries == 0
    }
}
