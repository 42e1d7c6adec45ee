/// Eight floats at a time for the cells' elementwise loops. Those loops read and write through
/// many pointers the compiler cannot prove distinct, so it does not vectorize them by itself.

/// The eight values at `p[j] …`.
@inline(__always)
func lanes(_ p: UnsafePointer<Float>, _ j: Int) -> SIMD8<Float> {
    UnsafeRawPointer(p + j).loadUnaligned(as: SIMD8<Float>.self)
}

/// Writes `v` to `p[j] …`.
@inline(__always)
func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ j: Int) {
    UnsafeMutableRawPointer(p + j).storeBytes(of: v, as: SIMD8<Float>.self)
}
