extension ClassifierConfiguration {
    /// The n-gram and subword options, or nil when the configuration uses no hashed rows.
    public var hashedRowOptions: HashedRows.Options? {
        usesHashedRows ? HashedRows.Options(wordNgrams: wordNgrams, minn: minn, maxn: maxn, buckets: buckets) : nil
    }

    /// The hashed rows of this configuration over `vocabulary`, or nil when it uses none.
    public func hashedRows(vocabulary: Vocabulary) -> HashedRows? {
        hashedRowOptions.flatMap { HashedRows(vocabulary: vocabulary, options: $0) }
    }
}
