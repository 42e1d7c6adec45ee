extension ParameterContainer {
    /// Sets every gradient to zero; the trainer does this once per step, since backward
    /// passes accumulate.
    public mutating func zeroGradients() {
        forEachParameter { _, _, _, gradient in
            for i in gradient.indices { gradient[i] = 0 }
        }
    }
}
