@_spi(Internals) import TextClf

/// Builds the server's JSON answers as text, in a fixed key order; strings are quoted as
/// `textclf classify` quotes them.
enum ResponseJSON {
    /// `{"error": message}`.
    static func error(_ message: String) -> String {
        "{\"error\":" + JSONText.quoted(message) + "}"
    }

    /// `{"model": checksum, "predictions": [{"labels": [...], "probabilities": [...]}, ...]}`,
    /// probabilities as the shortest decimals that read back as the same float.
    static func predictions(model checksum: String, _ predictions: [[(label: String, probability: Float)]]) -> String {
        var json = "{\"model\":" + JSONText.quoted(checksum) + ",\"predictions\":["
        for (index, prediction) in predictions.enumerated() {
            if index > 0 { json += "," }
            json += "{\"labels\":[" + prediction.map { JSONText.quoted($0.label) }.joined(separator: ",")
            json += "],\"probabilities\":[" + prediction.map { String($0.probability) }.joined(separator: ",") + "]}"
        }
        return json + "]}"
    }
}
