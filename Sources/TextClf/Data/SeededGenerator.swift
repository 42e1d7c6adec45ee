
/// A small, fast, seeded random number generator (SplitMix64), so that initialisation,
/// shuffling, dropout and generated datasets are reproducible from `--seed` on every platform.
///
///     var rng = SeededGenerator(seed: 1)
///     let x = rng.nextUniform()          // in [0, 1)
///     [1, 2, 3].shuffled(using: &rng)
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An integer uniform in 0..<n, by rejection, so it is unbiased and the same on every
    /// platform (the standard library does not promise a fixed algorithm for `random(in:)`).
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0, "nextInt(below:) needs a positive bound")
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return Int(value % bound) }
        }
    }

    /// Shuffles `array` in place (Fisher–Yates) reproducibly.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, nextInt(below: i + 1))
        }
    }

    /// A Float uniform in [0, 1), from the top 24 bits so every value is exact.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A Float uniform in [low, high).
    public mutating func nextUniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * nextUniform()
    }
}
