import Synchronization

/// A recurrent classifier's first-layer input projection tables (``Network/inputProjectionTables()``),
/// made once they pay for themselves.
///
/// A table row replaces a product per token (x·W_ihᵀ, In·G multiply-adds) with a copy of G
/// floats, and gives the same bits. Building the tables costs about what projecting as many
/// tokens as they have rows costs, so they are built once the classifier has projected that many
/// (a short run never pays for them; a long one wastes at most what it saved), and only when they
/// hold at most ``largestSize`` bytes: memory a server keeps, which a command-line run or a small
/// vocabulary never reaches.
final class InputProjectionCache: Sendable {
    /// The most bytes the tables may take.
    static let largestSize = 64 << 20

    private enum State {
        /// Tokens projected so far.
        case counting(Int)
        case building
        case built([FloatBuffer])
        /// Not recurrent, int8 weights, or too large.
        case never
    }
    private let state: Mutex<State>
    /// Tokens after which the tables are built: the embedding's rows.
    private let threshold: Int

    init(network: Network) {
        let size = network.inputProjectionTableSize
        threshold = network.embedding.vocabularySize
        state = Mutex(size > 0 && size * MemoryLayout<Float>.size <= Self.largestSize ? .counting(0) : .never)
    }

    /// The tables, or nil while they are not built. Counts `tokens` more projected tokens, and
    /// the call that reaches the threshold builds the tables from `network` on its own thread
    /// (the others go on without them meanwhile).
    func tables(network: Network, tokens: Int) -> [FloatBuffer]? {
        enum Next { case use([FloatBuffer]?), build }
        let next: Next = state.withLock { state in
            switch state {
            case .built(let tables): return .use(tables)
            case .building, .never: return .use(nil)
            case .counting(let count):
                if count + tokens < threshold {
                    state = .counting(count + tokens)
                    return .use(nil)
                }
                state = .building
                return .build
            }
        }
        switch next {
        case .use(let tables):
            return tables
        case .build:
            let tables = network.inputProjectionTables()
            state.withLock { $0 = tables.map { .built($0) } ?? .never }
            return tables
        }
    }
}
