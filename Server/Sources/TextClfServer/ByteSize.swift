/// A size in bytes written as SPEC §2 writes sizes: a number with an optional suffix, K and M
/// for 10³ and 10⁶, KiB and MiB for 2¹⁰ and 2²⁰ (`1MiB`, `500K`, `65536`).
public struct ByteSize: Sendable, Equatable {
    public var bytes: Int

    /// nil when `text` is not such a size.
    public init?(_ text: String) {
        let units: [(suffix: String, factor: Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("K", 1_000), ("M", 1_000_000), ("", 1)]
        guard let unit = units.first(where: { text.hasSuffix($0.suffix) }),
              let number = Int(text.dropLast(unit.suffix.count)), number >= 0 else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: unit.factor)
        guard !overflow else { return nil }
        bytes = product
    }
}
