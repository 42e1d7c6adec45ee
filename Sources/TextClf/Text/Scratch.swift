/// A growable manually managed buffer, reused across calls so that hot loops neither allocate
/// nor pay for `Array`'s uniqueness checks.
final class Scratch<Element> {
    private(set) var pointer: UnsafeMutablePointer<Element>
    private(set) var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
        pointer = .allocate(capacity: capacity)
    }

    deinit { pointer.deallocate() }

    /// Makes room for at least `count` elements, keeping the first `used` ones.
    func reserve(_ count: Int, keeping used: Int) {
        guard count > capacity else { return }
        let old = pointer
        capacity = max(count, capacity * 2)
        pointer = .allocate(capacity: capacity)
        pointer.moveInitialize(from: old, count: used)
        old.deallocate()
    }

    /// Makes room for at least `count` elements; the old contents are not kept.
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        capacity = max(count, capacity * 2)
        pointer = .allocate(capacity: capacity)
    }
}
