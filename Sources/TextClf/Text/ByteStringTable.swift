/// An insert-only hash set of byte strings numbered densely from 0 in insertion order.
///
/// Tokens are looked up by their UTF-8 bytes, so the path from text to ids never creates a
/// `String` per token. Keys live back to back in one byte arena. The table is open addressing
/// with linear probing over a power-of-two slot array, at most half full; each slot holds the
/// key's first 8 bytes, its length and 24 bits of its hash beside the entry index, so a lookup
/// of a key of up to 8 bytes (most words and every character) reads one slot and no arena.
struct ByteStringTable: Sendable {
    private struct Slot: Sendable {
        /// The key's first 8 bytes, zero-padded.
        var prefix: UInt64
        /// 0 for an empty slot; else entry + 1 (bits 0–31), min(length, 255) (bits 32–39) and
        /// the hash's top 24 bits (40–63).
        var info: UInt64
    }

    private var arena: [UInt8] = []
    /// Entry i is `arena[offsets[i] ..< offsets[i + 1]]`.
    private var offsets: [Int] = [0]
    private var slots = [Slot](repeating: Slot(prefix: 0, info: 0), count: 16)

    /// The number of distinct keys.
    var count: Int { offsets.count - 1 }

    /// The index of `key`, or nil when it was never inserted.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let (hash, prefix) = Self.hash(key)
        let expected = Self.tag(hash: hash, length: key.count)
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let info = slots[slot].info
                if info == 0 { return nil }
                if info & 0xFFFF_FFFF_0000_0000 == expected && slots[slot].prefix == prefix {
                    let entry = Int(info & 0xFFFF_FFFF) - 1
                    if key.count <= 8 || restMatches(key, entry) { return entry }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Whether the bytes after the first 8 of `key` equal those of `entry` (same length known).
    private func restMatches(_ key: UnsafeBufferPointer<UInt8>, _ entry: Int) -> Bool {
        arena.withUnsafeBufferPointer { arena in
            let start = offsets[entry]
            guard offsets[entry + 1] - start == key.count else { return false }
            return memoryEqual(arena.baseAddress! + start + 8, key.baseAddress! + 8, key.count - 8)
        }
    }

    /// Inserts `key` unless present.
    /// - Returns: its index and whether it was new.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (index: Int, inserted: Bool) {
        if let index = find(key) { return (index, false) }
        let index = count
        precondition(index < Int(Int32.max) - 1, "too many distinct tokens")
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        if count * 2 > slots.count {
            rehash(slotCount: slots.count * 2)
        } else {
            Self.place(index, key, in: &slots)
        }
        return (index, true)
    }

    /// Makes room for `keyCount` keys in all, so that inserting up to that many never regrows
    /// the slots (a model's vocabulary is known in size before it is inserted).
    mutating func reserveCapacity(_ keyCount: Int) {
        var slotCount = slots.count
        while keyCount * 2 > slotCount { slotCount *= 2 }
        offsets.reserveCapacity(keyCount + 1)
        if slotCount > slots.count { rehash(slotCount: slotCount) }
    }

    /// Places every entry anew in `slotCount` empty slots.
    private mutating func rehash(slotCount: Int) {
        var grown = [Slot](repeating: Slot(prefix: 0, info: 0), count: slotCount)
        arena.withUnsafeBufferPointer { arena in
            for entry in 0 ..< count {
                Self.place(entry, UnsafeBufferPointer(rebasing: arena[offsets[entry] ..< offsets[entry + 1]]), in: &grown)
            }
        }
        slots = grown
    }

    /// Inserts a `String` key (its UTF-8 bytes).
    @discardableResult
    mutating func insert(_ key: String) -> (index: Int, inserted: Bool) {
        var key = key
        return key.withUTF8 { insert($0) }
    }

    /// The index of a `String` key.
    func find(_ key: String) -> Int? {
        var key = key
        return key.withUTF8 { find($0) }
    }

    /// Calls `body` with the bytes of entry `index`.
    func withBytes<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { arena in
            try body(UnsafeBufferPointer(rebasing: arena[offsets[index] ..< offsets[index + 1]]))
        }
    }

    /// Entry `index` decoded as a `String`.
    func string(at index: Int) -> String {
        withBytes(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    private static func place(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>, in slots: inout [Slot]) {
        let (hash, prefix) = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot].info != 0 { slot = (slot + 1) & mask }
        slots[slot] = Slot(prefix: prefix, info: Self.tag(hash: hash, length: key.count) | UInt64(entry + 1))
    }

    @inline(__always)
    private static func tag(hash: UInt64, length: Int) -> UInt64 {
        (hash & 0xFFFF_FF00_0000_0000) | UInt64(min(length, 255)) << 32
    }

    /// A fixed (unseeded) multiply-xorshift hash over 8-byte words, so that tables and the
    /// order of anything derived from them are the same in every run; also returns the key's
    /// first 8 bytes, zero-padded.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> (hash: UInt64, prefix: UInt64) {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        guard let base = key.baseAddress else { return (h, 0) }
        let raw = UnsafeRawPointer(base)
        let n = key.count
        var prefix: UInt64 = 0
        var i = 0
        if n >= 8 { prefix = raw.loadUnaligned(as: UInt64.self) }
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        if n < 8 { prefix = tail }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return (h, prefix)
    }
}

/// Byte equality of two memory ranges of `length` bytes.
@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
    var i = 0
    while i + 8 <= length {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
            != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
        i += 8
    }
    while i < length {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
