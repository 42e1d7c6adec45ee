import Foundation

/// A named Float32 tensor: its shape and its values in row-major order.
public struct Tensor: Equatable, Sendable {
    /// The dimensions, outermost first.
    public var shape: [Int]
    /// The elements, row-major (the product of `shape` of them).
    public var values: [Float]

    /// A tensor of `shape` over `values`.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        self.shape = shape
        self.values = values
    }
}

/// Errors reading a safetensors file.
public enum SafetensorsError: Error, LocalizedError, Equatable {
    /// The bytes end before the header or a tensor does.
    case truncated(String)
    /// The JSON header is not what safetensors specifies; `reason` says how.
    case malformedHeader(String, reason: String)
    /// A tensor has a dtype other than F32.
    case unsupportedDType(String, tensor: String, dtype: String)

    /// The message for the user, naming the file.
    public var errorDescription: String? {
        switch self {
        case .truncated(let file):
            return "\(file): truncated safetensors file"
        case .malformedHeader(let file, let reason):
            return "\(file): malformed safetensors header: \(reason)"
        case .unsupportedDType(let file, let tensor, let dtype):
            return "\(file): tensor '\(tensor)' has dtype \(dtype); only F32 is supported"
        }
    }
}

/// The safetensors layout: an 8-byte little-endian header length, a JSON header that maps each
/// tensor name to its dtype, shape and byte range (plus string `__metadata__`), then the raw
/// little-endian tensor bytes.
///
/// One implementation serves the model file, the PyTorch fixtures and the tests. Writing is
/// deterministic: header keys sorted, tensors stored in name order, no padding beyond the
/// 8-byte alignment of the data section that the format recommends.
public struct Safetensors: Sendable {
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// The `__metadata__` strings.
    public var metadata: [String: String]

    /// A container of these tensors and metadata, to be serialized.
    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The bytes of the data section, tensors concatenated in name order.
    public var dataSection: [UInt8] {
        var bytes: [UInt8] = []
        for name in tensors.keys.sorted() {
            appendLittleEndian(tensors[name]!.values, to: &bytes)
        }
        return bytes
    }

    /// The whole file as bytes.
    public func serialized() -> [UInt8] {
        var entries: [String] = []
        var offset = 0
        for name in tensors.keys.sorted() {
            let tensor = tensors[name]!
            let end = offset + tensor.values.count * 4
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append("\(JSONText.quoted(name)):{\"data_offsets\":[\(offset),\(end)],\"dtype\":\"F32\",\"shape\":[\(shape)]}")
            offset = end
        }
        if !metadata.isEmpty {
            let fields = metadata.keys.sorted().map { "\(JSONText.quoted($0)):\(JSONText.quoted(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        entries.sort()  // by key, so equal contents give byte-identical headers
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header)
        bytes.append(contentsOf: dataSection)
        return bytes
    }

    /// Parses a safetensors file's bytes; `name` labels errors (usually the file path).
    public init(bytes: [UInt8], name: String) throws {
        guard bytes.count >= 8 else { throw SafetensorsError.truncated(name) }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(bytes.count - 8) else { throw SafetensorsError.truncated(name) }
        let dataStart = 8 + Int(headerLength)
        let headerBytes = Data(bytes[8..<dataStart])
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: headerBytes)
        } catch {
            throw SafetensorsError.malformedHeader(name, reason: "not JSON")
        }
        guard let header = parsed as? [String: Any] else {
            throw SafetensorsError.malformedHeader(name, reason: "not a JSON object")
        }
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (key, value) in header {
            if key == "__metadata__" {
                guard let fields = value as? [String: Any] else {
                    throw SafetensorsError.malformedHeader(name, reason: "__metadata__ is not an object")
                }
                for (field, text) in fields {
                    guard let text = text as? String else {
                        throw SafetensorsError.malformedHeader(name, reason: "__metadata__ value '\(field)' is not a string")
                    }
                    metadata[field] = text
                }
                continue
            }
            guard let entry = value as? [String: Any],
                  let dtype = entry["dtype"] as? String,
                  let shape = (entry["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offsets = (entry["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2
            else {
                throw SafetensorsError.malformedHeader(name, reason: "entry '\(key)' lacks dtype, shape or data_offsets")
            }
            guard dtype == "F32" else { throw SafetensorsError.unsupportedDType(name, tensor: key, dtype: dtype) }
            let count = shape.reduce(1, *)
            let start = dataStart + offsets[0], end = dataStart + offsets[1]
            guard offsets[0] >= 0, offsets[1] - offsets[0] == count * 4, shape.allSatisfy({ $0 >= 0 }) else {
                throw SafetensorsError.malformedHeader(name, reason: "entry '\(key)' has offsets that do not match its shape")
            }
            guard end <= bytes.count else { throw SafetensorsError.truncated(name) }
            tensors[key] = Tensor(shape: shape, values: readLittleEndianFloats(bytes, from: start, count: count))
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and parses the file at `url`.
    /// - Throws: ``FileError`` with the system's reason when it cannot be read;
    ///   ``SafetensorsError`` when it is not a safetensors file of F32 tensors.
    public init(contentsOf url: URL) throws {
        try self.init(bytes: FileBytes.read(url), name: url.path)
    }

    /// The tensor called `name`; a missing name is a programmer or fixture error.
    public subscript(name: String) -> Tensor? {
        tensors[name]
    }
}

private func appendLittleEndian(_ values: [Float], to bytes: inout [UInt8]) {
    bytes.reserveCapacity(bytes.count + values.count * 4)
    for value in values {
        var bits = value.bitPattern.littleEndian
        withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
    }
}

private func readLittleEndianFloats(_ bytes: [UInt8], from start: Int, count: Int) -> [Float] {
    var values = [Float](repeating: 0, count: count)
    for i in 0..<count {
        let base = start + 4 * i
        let bits = UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8
            | UInt32(bytes[base + 2]) << 16 | UInt32(bytes[base + 3]) << 24
        values[i] = Float(bitPattern: bits)
    }
    return values
}
