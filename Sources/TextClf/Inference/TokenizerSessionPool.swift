import Synchronization

/// Tokenizer sessions kept for reuse between a classifier's calls.
///
/// Opening a session opens ICU break iterators (about 25 µs for a word iterator, measured with
/// a C loop over `ubrk_open`), more than tokenizing and classifying a short text costs, and a
/// server calls the classifier once per small batch. A session is used by one thread at a time:
/// ``take()`` hands it out exclusively, ``give(_:)`` puts it back.
final class TokenizerSessionPool: Sendable {
    private let tokenizer: Tokenizer
    /// Idle sessions; at most as many as calls ever ran at once.
    private let idle = Mutex<[UncheckedSendable<TokenizerSession>]>([])

    init(tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// An idle session, or a new one when all are in use.
    func take() -> TokenizerSession {
        idle.withLock { $0.popLast()?.value } ?? tokenizer.makeSession()
    }

    /// Returns a session taken from this pool once its caller is done with it.
    func give(_ session: TokenizerSession) {
        let box = UncheckedSendable(session)
        idle.withLock { $0.append(box) }
    }
}
