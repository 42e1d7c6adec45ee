/// The hashes that give word n-grams and subwords their embedding rows (SPEC §2), defined so
/// that any implementation reproduces them bit for bit.
///
/// With V vocabulary ids and B buckets, the hashed rows are V ..< V + B:
/// - a token's hash is FNV-1a-32 over its UTF-8 bytes, each byte taken as an unsigned value
///   (no sign extension): `h = 2166136261; for b in bytes { h ^= b; h = h &* 16777619 }`;
/// - the word n-gram of tokens i ..< i + n (2 ≤ n ≤ N, inside the example, after the length
///   limit, unknown tokens included) has row `V + h % B`, where the 64-bit
///   `h = hash[i]; for j in i+1 ..< i+n { h = h &* 116049371 &+ hash[j] }` (as fastText
///   combines them; the 32-bit hashes are widened without sign extension);
/// - a subword is a run of `minn ... maxn` graphemes of `<`, the token's graphemes (Swift
///   `Character`s: UAX #29 extended grapheme clusters of the token alone), `>`; runs are taken
///   by start position, then length, without the lone `<` and lone `>`, the whole bracketed
///   token included when its length is in range; its row is `V + fnv1a32(utf8 of the run) % B`.
///   Repeated runs repeat their row. "where" with 3...6 gives `<wh`, `<whe`, `<wher`, `<where`,
///   `whe`, `wher`, `where`, `where>`, `her`, `here`, `here>`, `ere`, `ere>`, `re>`.
public enum TokenHashing {
    /// FNV-1a-32 of `bytes`.
    public static func fnv1a32<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var h: UInt32 = 2_166_136_261
        for byte in bytes {
            h ^= UInt32(byte)
            h = h &* 16_777_619
        }
        return h
    }

    /// FNV-1a-32 of the UTF-8 of `text`.
    public static func fnv1a32(_ text: String) -> UInt32 {
        fnv1a32(text.utf8)
    }

    /// Appends to `rows` the row of every word n-gram, 2 ≤ n ≤ `maxN`, of the tokens whose
    /// hashes are `tokenHashes`, ordered by start position, then length.
    /// - Parameters:
    ///   - tokenHashes: `fnv1a32` of each token, in order.
    ///   - maxN: N, the longest n-gram (1: none).
    ///   - firstRow: V, the first hashed row.
    ///   - buckets: B, the number of hashed rows.
    ///   - rows: receives the rows.
    public static func appendWordNgramRows(tokenHashes: [UInt32], maxN: Int, firstRow: Int, buckets: Int,
                                           to rows: inout [Int32]) {
        let L = tokenHashes.count
        guard maxN >= 2, L >= 2 else { return }
        let modulus = UInt64(buckets)
        for i in 0 ..< L - 1 {
            var h = UInt64(tokenHashes[i])
            for j in i + 1 ..< min(i + maxN, L) {
                h = h &* 116_049_371 &+ UInt64(tokenHashes[j])
                rows.append(Int32(firstRow + Int(h % modulus)))
            }
        }
    }

    /// Appends to `rows` the row of every subword of `token` with `minn ... maxn` graphemes,
    /// in the order the type's documentation defines.
    /// - Parameters:
    ///   - token: the token, without brackets.
    ///   - minn: the fewest graphemes of a subword (at least 1).
    ///   - maxn: the most graphemes of a subword.
    ///   - firstRow: V, the first hashed row.
    ///   - buckets: B, the number of hashed rows.
    ///   - rows: receives the rows.
    public static func appendSubwordRows(of token: String, minn: Int, maxn: Int, firstRow: Int, buckets: Int,
                                         to rows: inout [Int32]) {
        forEachSubword(of: token, minn: minn, maxn: maxn) { bytes in
            rows.append(Int32(firstRow + Int(fnv1a32(bytes) % UInt32(buckets))))
        }
    }

    /// The subwords of `token` as strings, in row order (for documentation and tests).
    public static func subwords(of token: String, minn: Int, maxn: Int) -> [String] {
        var result: [String] = []
        forEachSubword(of: token, minn: minn, maxn: maxn) { result.append(String(decoding: $0, as: UTF8.self)) }
        return result
    }

    /// Calls `body` with the UTF-8 of each subword of `token`.
    static func forEachSubword(of token: String, minn: Int, maxn: Int, _ body: (ArraySlice<UInt8>) -> Void) {
        guard minn >= 1, maxn >= minn else { return }
        // Byte offsets of the grapheme boundaries of "<token>".
        let bracketed = Array(("<" + token + ">").utf8)
        var boundaries = [0, 1]
        var offset = 1
        for character in token {
            offset += character.utf8.count
            boundaries.append(offset)
        }
        boundaries.append(offset + 1)
        let L = boundaries.count - 1
        for i in 0 ..< L {
            for n in minn ... maxn where i + n <= L {
                if n == 1 && (i == 0 || i == L - 1) { continue }
                body(bracketed[boundaries[i] ..< boundaries[i + n]])
            }
        }
    }
}
