/// Inverted dropout: in training each value is zeroed with probability p and the survivors
/// are scaled by 1/(1 − p), so evaluation (which passes values through) needs no rescaling.
/// The mask comes from a `SeededGenerator`, one uniform draw per value in row-major order.
public struct Dropout: Sendable {
    /// p, the probability that a value is zeroed in training, in [0, 1).
    public let probability: Float

    /// What backward needs: the factor each value was multiplied by (0 or 1/(1 − p)); empty
    /// when dropout was off.
    public struct Cache: Sendable {
        /// Per value, 0 or 1/(1 − p); empty when dropout was off.
        public let factors: [Float]

        /// A cache of these factors.
        public init(factors: [Float]) {
            self.factors = factors
        }
    }

    /// Dropout with probability `probability` (in [0, 1)).
    public init(probability: Float) {
        precondition(probability >= 0 && probability < 1, "dropout probability must be in [0, 1)")
        self.probability = probability
    }

    /// Drops values when `training` and p > 0; otherwise returns x unchanged.
    public func forward(_ x: Matrix, training: Bool, generator: inout SeededGenerator) -> (Matrix, Cache) {
        guard training, probability > 0 else { return (x, Cache(factors: [])) }
        let keep = 1 / (1 - probability)
        let factors = (0..<x.count).map { _ in generator.nextUniform() < probability ? 0 : keep }
        let cache = Cache(factors: factors)
        return (apply(x, cache), cache)
    }

    /// x multiplied by the cache's factors (or x itself when dropout was off).
    public func apply(_ x: Matrix, _ cache: Cache) -> Matrix {
        guard !cache.factors.isEmpty else { return x }
        precondition(cache.factors.count == x.count, "dropout mask has \(cache.factors.count) values, input \(x.count)")
        var y = x
        for i in 0..<y.count { y.storage[i] *= cache.factors[i] }
        return y
    }

    /// dL/dx = dL/dy times the same factors.
    public func backward(_ dy: Matrix, _ cache: Cache) -> Matrix {
        apply(dy, cache)
    }
}
