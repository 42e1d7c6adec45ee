import Foundation

/// Which labels an answer shows, as `classify`'s `--k`, `--threshold` and `--all-probabilities`.
struct LabelChoice: Sendable {
    /// At most this many labels (nil: the model's default).
    var k: Int?
    /// The lowest probability shown (nil: the model's default).
    var threshold: Float?
    /// Every label in model order, ignoring `k` and `threshold`.
    var allProbabilities = false

    /// Refuses the combinations `classify` refuses.
    func validated() throws(APIError) -> LabelChoice {
        if let k, k < 1 { throw .badRequest("k must be at least 1") }
        if let threshold, !(0...1).contains(threshold) { throw .badRequest("threshold must be between 0 and 1") }
        if allProbabilities && (k != nil || threshold != nil) {
            throw .badRequest("all_probabilities shows every label; drop k and threshold")
        }
        return self
    }
}

/// A parsed `POST /v1/classify` body.
struct ClassifyRequest: Sendable {
    /// How the answer is written: a JSON object, or `classify`'s jsonl lines.
    enum Style: Sendable { case json, jsonl }

    var texts: [String]
    var choice: LabelChoice
    var style: Style

    /// `{"texts": [...], "k": 1, "threshold": 0.5, "all_probabilities": false}`.
    init(json body: [UInt8], maxTexts: Int) throws(APIError) {
        guard String(validating: body, as: UTF8.self) != nil else { throw .badRequest("the body is not valid UTF-8") }
        if let plain = body.withUnsafeBufferPointer({ PlainClassifyBody($0) }) {
            texts = plain.texts
            choice = try LabelChoice(k: plain.k, allProbabilities: plain.allProbabilities ?? false).validated()
            style = .json
            try checkCount(maxTexts: maxTexts)
            return
        }
        struct Body: Decodable {
            var texts: [String]
            // A number, so that 1.5 gets its own message (Foundation calls it invalid JSON).
            var k: Double?
            var threshold: Float?
            var all_probabilities: Bool?
        }
        let decoded: Body
        do {
            decoded = try JSONDecoder().decode(Body.self, from: Data(body))
        } catch let error as DecodingError {
            throw .badRequest(Self.describe(error))
        } catch {
            throw .badRequest("invalid JSON")
        }
        texts = decoded.texts
        let k = try decoded.k.map { (k: Double) throws(APIError) -> Int in
            guard let whole = Int(exactly: k) else { throw .badRequest("k must be a whole number, not \(k)") }
            return whole
        }
        choice = try LabelChoice(k: k, threshold: decoded.threshold,
                                 allProbabilities: decoded.all_probabilities ?? false).validated()
        style = .json
        try checkCount(maxTexts: maxTexts)
    }

    /// One text per line (invalid UTF-8 repaired, `__label__X` prefixes dropped, as `classify`
    /// reads lines), with `k`, `threshold` and `all_probabilities` from the query.
    init(plainText body: [UInt8], query: [String: String], maxTexts: Int) throws(APIError) {
        texts = Self.lines(body).map(ClassifyText.strippingLabels)
        choice = try LabelChoice(k: Self.parse(query, "k", as: Int.init),
                                 threshold: Self.parse(query, "threshold", as: Float.init),
                                 allProbabilities: Self.parse(query, "all_probabilities", as: Bool.init) ?? false)
            .validated()
        style = .jsonl
        try checkCount(maxTexts: maxTexts)
    }

    private func checkCount(maxTexts: Int) throws(APIError) {
        if texts.isEmpty { throw .badRequest("texts is empty") }
        if texts.count > maxTexts { throw .badRequest("\(texts.count) texts; at most \(maxTexts) per request") }
    }

    /// The lines as `classify` reads a file: split at LF, a CR before it dropped, a BOM at the
    /// start dropped, a last line without LF kept, no line after a final LF.
    private static func lines(_ body: [UInt8]) -> [String] {
        body.withUnsafeBufferPointer { bytes in
            var lines: [String] = []
            var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            while start < bytes.count {
                let newline = bytes[start...].firstIndex(of: 0x0A)
                var end = newline ?? bytes.count
                if end > start && bytes[end - 1] == 0x0D { end -= 1 }
                lines.append(ClassifyText.repairedUTF8(UnsafeBufferPointer(rebasing: bytes[start..<end])))
                start = (newline ?? bytes.count) + 1
            }
            return lines
        }
    }

    private static func parse<Value>(_ query: [String: String], _ name: String,
                                     as convert: (String) -> Value?) throws(APIError) -> Value? {
        guard let text = query[name] else { return nil }
        guard let value = convert(text) else { throw .badRequest("query parameter \(name) has a bad value: \(text)") }
        return value
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, _):
            return "missing key \(key.stringValue)"
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return "bad value at \(path(context)): \(context.debugDescription)"
        case .dataCorrupted:
            return "invalid JSON"
        @unknown default:
            return "invalid JSON"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        return keys.isEmpty ? "the top level" : String(keys.drop { $0 == "." })
    }
}
