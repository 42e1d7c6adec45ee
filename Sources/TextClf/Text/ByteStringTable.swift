/// An insert-only hash set of byte strings numbered densely from 0 in insertion order.
///
/// Tokens are looked up by their UTF-8 bytes, so the path from text to ids never creates a
/// `String` per token. Keys live back to back in one byte arena; the table is open addressing
/// with linear probing over a power-of-two slot array, at most half full.
struct ByteStringTable: Sendable {
    private var arena: [UInt8] = []
    /// Entry i is `arena[offsets[i] ..< offsets[i + 1]]`.
    private var offsets: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Entry index + 1 per slot; 0 marks an empty slot.
    private var slots: [Int32] = Array(repeating: 0, count: 16)

    /// The number of distinct keys.
    var count: Int { hashes.count }

    /// The index of `key`, or nil when it was never inserted.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(key)
        return slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBufferPointer { arena in
                offsets.withUnsafeBufferPointer { offsets in
                    hashes.withUnsafeBufferPointer { hashes in
                        let mask = slots.count - 1
                        var slot = Int(truncatingIfNeeded: hash) & mask
                        while true {
                            let entry = Int(slots[slot]) - 1
                            if entry < 0 { return nil }
                            if hashes[entry] == hash {
                                let start = offsets[entry], length = offsets[entry + 1] - start
                                if length == key.count
                                    && (length == 0 || memoryEqual(arena.baseAddress! + start, key.baseAddress!, length)) {
                                    return entry
                                }
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
            }
        }
    }

    /// Inserts `key` unless present.
    /// - Returns: its index and whether it was new.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (index: Int, inserted: Bool) {
        if let index = find(key) { return (index, false) }
        let index = hashes.count
        precondition(index < Int(Int32.max) - 1, "too many distinct tokens")
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        let hash = Self.hash(key)
        hashes.append(hash)
        if hashes.count * 2 > slots.count {
            slots = Array(repeating: 0, count: slots.count * 2)
            for (entry, entryHash) in hashes.enumerated() { place(entry, entryHash) }
        } else {
            place(index, hash)
        }
        return (index, true)
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

    private mutating func place(_ entry: Int, _ hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry + 1)
    }

    /// A fixed (unseeded) multiply-xorshift hash over 8-byte words, so that tables and the
    /// order of anything derived from them are the same in every run.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        guard let base = key.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        let n = key.count
        var i = 0
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
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return h
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
