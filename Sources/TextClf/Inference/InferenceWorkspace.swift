import Synchronization

/// The buffers one chunk of texts is classified in, kept between chunks and calls so that
/// classifying allocates nothing per text (the pool model's path nothing at all).
final class InferenceWorkspace {
    /// The token ids of the chunk's texts that have tokens, one after another.
    var ids: [Int] = []
    /// Where each of those texts' ids end in `ids`.
    var idEnds: [Int] = []
    /// For each text of the chunk, its row among those with tokens, or −1 for none.
    var rowOfText: [Int] = []
    /// The ids padded to the chunk's longest text, batch-major, for the layered networks.
    var padded: [Int] = []
    /// The token count of each text with tokens.
    var lengths: [Int] = []
    /// The pool model's pooled embeddings [rows, dim] and logits [rows, outputs].
    let pooled = Scratch<Float>()
    let logits = Scratch<Float>()

    /// Forgets the previous chunk, keeping the capacity.
    func removeAll() {
        ids.removeAll(keepingCapacity: true)
        idEnds.removeAll(keepingCapacity: true)
        rowOfText.removeAll(keepingCapacity: true)
        padded.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
    }

    /// The ids of text row `row` (a text with tokens).
    func idRange(_ row: Int) -> Range<Int> {
        (row == 0 ? 0 : idEnds[row - 1]) ..< idEnds[row]
    }
}

/// Workspaces kept for reuse between a classifier's chunks, one per chunk running at a time.
final class InferenceWorkspacePool: Sendable {
    private let idle = Mutex<[UncheckedSendable<InferenceWorkspace>]>([])

    /// An idle workspace, or a new one when all are in use.
    func take() -> InferenceWorkspace {
        idle.withLock { $0.popLast()?.value } ?? InferenceWorkspace()
    }

    /// Returns a workspace taken from this pool once its chunk is done.
    func give(_ workspace: InferenceWorkspace) {
        let box = UncheckedSendable(workspace)
        idle.withLock { $0.append(box) }
    }
}
