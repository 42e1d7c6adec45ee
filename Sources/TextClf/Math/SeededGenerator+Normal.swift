import Foundation

extension SeededGenerator {
    /// A Float from the normal distribution N(mean, standardDeviation²), by the Box–Muller
    /// transform of two uniform draws (the second normal it yields is not kept, so every call
    /// consumes exactly two draws and sequences are easy to reproduce).
    public mutating func nextNormal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
        // 1 − u is in (0, 1], so the logarithm is finite.
        let radius = (-2 * Foundation.log(1 - Double(nextUniform()))).squareRoot()
        let angle = 2 * Double.pi * Double(nextUniform())
        return mean + standardDeviation * Float(radius * Foundation.cos(angle))
    }
}
