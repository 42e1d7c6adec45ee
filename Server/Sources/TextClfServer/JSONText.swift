/// Builds the server's JSON answers as text, in a fixed key order.
enum JSONText {
    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// `{"error": message}`.
    static func error(_ message: String) -> String {
        "{\"error\":" + quoted(message) + "}"
    }

    /// `{"model": checksum, "predictions": [{"labels": [...], "probabilities": [...]}, ...]}`,
    /// probabilities as the shortest decimals that read back as the same float.
    static func predictions(model checksum: String, _ predictions: [[(label: String, probability: Float)]]) -> String {
        var json = "{\"model\":" + quoted(checksum) + ",\"predictions\":["
        for (index, prediction) in predictions.enumerated() {
            if index > 0 { json += "," }
            json += "{\"labels\":[" + prediction.map { quoted($0.label) }.joined(separator: ",")
            json += "],\"probabilities\":[" + prediction.map { String($0.probability) }.joined(separator: ",") + "]}"
        }
        return json + "]}"
    }
}
