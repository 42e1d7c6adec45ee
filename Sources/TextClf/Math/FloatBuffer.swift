/// Floats in one allocation that lives as long as this object, at a stable address.
///
/// The recurrent layers' time loops work in these: each step addresses several buffers by
/// pointer, which arrays lend out only inside one closure per array.
///
/// A buffer is written by the code that makes it, before it is shared (a cache handed from
/// forward to backward is only read afterwards), hence `@unchecked Sendable`.
final class FloatBuffer: @unchecked Sendable {
    let count: Int
    let base: UnsafeMutablePointer<Float>

    /// `count` floats left as the allocator returns them, for memory that is entirely written
    /// before it is read (zeroing it would be wasted work).
    init(uninitialized count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
    }

    /// `count` zeros.
    convenience init(zeros count: Int) {
        self.init(uninitialized: count)
        base.initialize(repeating: 0, count: count)
    }

    /// A copy of `values`.
    convenience init(copying values: [Float]) {
        self.init(uninitialized: values.count)
        base.initialize(from: values, count: values.count)
    }

    /// A copy of this buffer's floats.
    func copy() -> FloatBuffer {
        let result = FloatBuffer(uninitialized: count)
        result.base.initialize(from: base, count: count)
        return result
    }

    deinit { base.deallocate() }
}
