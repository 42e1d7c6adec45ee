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

/// The element types a safetensors file may hold besides F32: int8 weights of quantized models
/// and int32 row ids.
public enum IntegerDType: String, Sendable, CaseIterable {
    /// Signed 8-bit integers, one byte each.
    case i8 = "I8"
    /// Signed 32-bit little-endian integers.
    case i32 = "I32"

    /// Bytes per element.
    public var byteWidth: Int { self == .i8 ? 1 : 4 }
    /// The values an element can hold.
    public var range: ClosedRange<Int32> { self == .i8 ? -128...127 : Int32.min...Int32.max }
}

/// A named integer tensor (I8 or I32): its shape and its values in row-major order, held as
/// `Int32` whatever the stored width.
public struct IntegerTensor: Equatable, Sendable {
    /// The stored element type.
    public var dtype: IntegerDType
    /// The dimensions, outermost first.
    public var shape: [Int]
    /// The elements, row-major, each within `dtype.range`.
    public var values: [Int32]

    /// A tensor of `dtype` and `shape` over `values`.
    public init(dtype: IntegerDType, shape: [Int], values: [Int32]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        precondition(values.allSatisfy(dtype.range.contains), "a value is outside \(dtype.rawValue)'s range")
        self.dtype = dtype
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
    /// A tensor has a dtype other than F32, I8 or I32.
    case unsupportedDType(String, tensor: String, dtype: String)

    /// The message for the user, naming the file.
    public var errorDescription: String? {
        switch self {
        case .truncated(let file):
            return "\(file): truncated safetensors file"
        case .malformedHeader(let file, let reason):
            return "\(file): malformed safetensors header: \(reason)"
        case .unsupportedDType(let file, let tensor, let dtype):
            return "\(file): tensor '\(tensor)' has dtype \(dtype); only F32, I8 and I32 are supported"
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
    /// The F32 tensors by name.
    public var tensors: [String: Tensor]
    /// The I8 and I32 tensors by name; a name is in `tensors` or here, never both.
    public var integerTensors: [String: IntegerTensor]
    /// The `__metadata__` strings.
    public var metadata: [String: String]

    /// A container of these tensors and metadata, to be serialized.
    public init(tensors: [String: Tensor] = [:], integerTensors: [String: IntegerTensor] = [:],
                metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.integerTensors = integerTensors
        self.metadata = metadata
    }

    /// Every tensor name, F32 and integer, in the order the data section stores them.
    private var orderedNames: [String] {
        precondition(Set(tensors.keys).isDisjoint(with: integerTensors.keys), "a tensor name is both F32 and integer")
        return (Array(tensors.keys) + Array(integerTensors.keys)).sorted()
    }

    /// The bytes of the data section, tensors concatenated in name order.
    public var dataSection: [UInt8] {
        var bytes: [UInt8] = []
        forEachDataPart { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Calls `body` with the data section's bytes, one tensor at a time in name order. On a
    /// little-endian machine an F32 tensor's own storage is passed, so a checksum or a file
    /// write never holds a second copy of a table that can be hundreds of MB.
    func forEachDataPart(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        for name in orderedNames {
            var bytes: [UInt8] = []
            if let tensor = tensors[name] {
                #if _endian(little)
                try tensor.values.withUnsafeBytes { try body($0.assumingMemoryBound(to: UInt8.self)) }
                continue
                #else
                appendLittleEndian(tensor.values, to: &bytes)
                #endif
            } else {
                appendLittleEndian(integerTensors[name]!, to: &bytes)
            }
            try bytes.withUnsafeBufferPointer { try body($0) }
        }
    }

    /// The header's tensor entries (name, dtype, shape, byte offsets) as the canonical JSON text
    /// that `serialized()` writes, without `__metadata__`: what a checksum over the table covers.
    public var tensorTable: String {
        tableEntries().entries.joined(separator: ",")
    }

    private func tableEntries() -> (entries: [String], dataLength: Int) {
        var entries: [String] = []
        var offset = 0
        for name in orderedNames {
            let dtype: String, count: Int, shape: [Int], width: Int
            if let tensor = tensors[name] {
                (dtype, count, shape, width) = ("F32", tensor.values.count, tensor.shape, 4)
            } else {
                let tensor = integerTensors[name]!
                (dtype, count, shape, width) = (tensor.dtype.rawValue, tensor.values.count, tensor.shape, tensor.dtype.byteWidth)
            }
            let end = offset + count * width
            let shapeText = shape.map(String.init).joined(separator: ",")
            entries.append("\(JSONText.quoted(name)):{\"data_offsets\":[\(offset),\(end)],\"dtype\":\"\(dtype)\",\"shape\":[\(shapeText)]}")
            offset = end
        }
        return (entries, offset)
    }

    /// The whole file as bytes.
    public func serialized() -> [UInt8] {
        let (prefix, dataLength) = headerBytes()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prefix.count + dataLength)
        bytes.append(contentsOf: prefix)
        forEachDataPart { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Writes the bytes of ``serialized()`` to `output` without assembling them in memory.
    /// - Returns: the number of bytes written.
    /// - Throws: `FileError` when writing fails.
    @discardableResult
    package func write(to output: BufferedOutput) throws -> Int {
        let (prefix, dataLength) = headerBytes()
        try prefix.withUnsafeBufferPointer { try output.write(bytes: $0) }
        // In slices the size of the output's buffer, which would otherwise grow to the tensor.
        let slice = 1 << 16
        try forEachDataPart { part in
            var start = 0
            while start < part.count {
                let end = min(part.count, start + slice)
                try output.write(bytes: UnsafeBufferPointer(rebasing: part[start ..< end]))
                start = end
            }
        }
        return prefix.count + dataLength
    }

    /// The 8-byte header length and the padded JSON header, with the data section's length.
    private func headerBytes() -> (bytes: [UInt8], dataLength: Int) {
        let table = tableEntries()
        var entries = table.entries
        if !metadata.isEmpty {
            let fields = metadata.keys.sorted().map { "\(JSONText.quoted($0)):\(JSONText.quoted(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        entries.sort()  // by key, so equal contents give byte-identical headers
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var bytes: [UInt8] = []
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header)
        return (bytes, table.dataLength)
    }

    /// Parses a safetensors file's bytes; `name` labels errors (usually the file path).
    ///
    /// Every number in the header is checked before it is used: shapes are non-negative
    /// integers whose product (× 4 bytes) must not overflow, and each tensor's byte range must
    /// match its shape and lie inside the file. A hostile header is an error, never a trap.
    public init(bytes: [UInt8], name: String) throws {
        guard bytes.count >= 8 else { throw SafetensorsError.truncated(name) }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(bytes.count - 8) else { throw SafetensorsError.truncated(name) }
        let dataStart = 8 + Int(headerLength)
        let parsed = bytes.withUnsafeBufferPointer { bytes -> JSONReader.Value? in
            var reader = JSONReader(bytes: UnsafeBufferPointer(rebasing: bytes[8 ..< dataStart]))
            return reader.document()
        }
        guard let parsed else {
            throw SafetensorsError.malformedHeader(name, reason: "not JSON")
        }
        guard case .object(let header) = parsed else {
            throw SafetensorsError.malformedHeader(name, reason: "not a JSON object")
        }
        let dataLength = bytes.count - dataStart
        var tensors: [String: Tensor] = [:]
        var integerTensors: [String: IntegerTensor] = [:]
        var metadata: [String: String] = [:]
        for key in header.keys.sorted() {
            let value = header[key]!
            if key == "__metadata__" {
                metadata = try Self.parseMetadata(value, name: name)
                continue
            }
            let entry = try TensorEntry(key: key, value: value, name: name)
            guard entry.end <= dataLength else { throw SafetensorsError.truncated(name) }
            if let dtype = entry.integerDType {
                integerTensors[key] = IntegerTensor(
                    dtype: dtype, shape: entry.shape,
                    values: readLittleEndianIntegers(bytes, from: dataStart + entry.start, count: entry.count, dtype: dtype))
            } else {
                tensors[key] = Tensor(shape: entry.shape,
                                      values: readLittleEndianFloats(bytes, from: dataStart + entry.start, count: entry.count))
            }
        }
        self.tensors = tensors
        self.integerTensors = integerTensors
        self.metadata = metadata
    }

    private static func parseMetadata(_ value: JSONReader.Value, name: String) throws -> [String: String] {
        guard case .object(let fields) = value else {
            throw SafetensorsError.malformedHeader(name, reason: "__metadata__ is not an object")
        }
        var metadata: [String: String] = [:]
        for (field, text) in fields {
            guard case .string(let text) = text else {
                throw SafetensorsError.malformedHeader(name, reason: "__metadata__ value '\(field)' is not a string")
            }
            metadata[field] = text
        }
        return metadata
    }

    /// Reads and parses the file at `url`.
    /// - Throws: ``FileError`` with the system's reason when it cannot be read;
    ///   ``SafetensorsError`` when it is not a safetensors file of F32, I8 and I32 tensors.
    public init(contentsOf url: URL) throws {
        try self.init(bytes: FileBytes.read(url), name: url.path)
    }

    /// The tensor called `name`; a missing name is a programmer or fixture error.
    public subscript(name: String) -> Tensor? {
        tensors[name]
    }
}

/// One tensor's header entry, checked: dtype F32, I8 or I32, a shape of non-negative integers whose
/// element count and byte size fit in `Int`, and a byte range `start..<end` of exactly that size.
private struct TensorEntry {
    let shape: [Int]
    let count: Int
    let start: Int
    let end: Int
    /// nil for F32.
    let integerDType: IntegerDType?

    init(key: String, value: JSONReader.Value, name: String) throws {
        func malformed(_ reason: String) -> SafetensorsError {
            .malformedHeader(name, reason: "entry '\(key)' \(reason)")
        }
        guard case .object(let entry) = value, case .string(let dtype) = entry["dtype"],
              case .array(let shapeValues) = entry["shape"], case .array(let offsetValues) = entry["data_offsets"]
        else {
            throw malformed("lacks dtype, shape or data_offsets")
        }
        let integerDType = IntegerDType(rawValue: dtype)
        guard dtype == "F32" || integerDType != nil else {
            throw SafetensorsError.unsupportedDType(name, tensor: key, dtype: dtype)
        }
        guard let shape = nonNegativeIntegers(shapeValues) else { throw malformed("has a shape that is not a list of sizes") }
        guard let offsets = nonNegativeIntegers(offsetValues), offsets.count == 2, offsets[0] <= offsets[1] else {
            throw malformed("has data_offsets that are not two ascending byte offsets")
        }
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw malformed("has a shape \(shape) too large to address") }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: integerDType?.byteWidth ?? 4)
        guard !overflow else { throw malformed("has a shape \(shape) too large to address") }
        guard offsets[1] - offsets[0] == byteCount else { throw malformed("has offsets that do not match its shape") }
        self.shape = shape
        self.count = count
        start = offsets[0]
        end = offsets[1]
        self.integerDType = integerDType
    }
}

/// The values as `Int`s when every one is a non-negative integer that fits (JSON numbers may be
/// fractions, negative or beyond 64 bits).
private func nonNegativeIntegers(_ values: [JSONReader.Value]) -> [Int]? {
    var integers: [Int] = []
    integers.reserveCapacity(values.count)
    for value in values {
        guard let integer = value.nonNegativeInteger else { return nil }
        integers.append(integer)
    }
    return integers
}

private func appendLittleEndian(_ values: [Float], to bytes: inout [UInt8]) {
    #if _endian(little)
    // One copy of the memory: a table of 2M hashed rows is 512 MB, too much to go value by value.
    values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    #else
    bytes.reserveCapacity(bytes.count + values.count * 4)
    for value in values {
        var bits = value.bitPattern.littleEndian
        withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
    }
    #endif
}

private func readLittleEndianFloats(_ bytes: [UInt8], from start: Int, count: Int) -> [Float] {
    #if _endian(little)
    return [Float](unsafeUninitializedCapacity: count) { values, initialized in
        bytes.withUnsafeBytes { raw in
            UnsafeMutableRawBufferPointer(values).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start ..< start + 4 * count]))
        }
        initialized = count
    }
    #else
    var values = [Float](repeating: 0, count: count)
    for i in 0..<count {
        let base = start + 4 * i
        let bits = UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8
            | UInt32(bytes[base + 2]) << 16 | UInt32(bytes[base + 3]) << 24
        values[i] = Float(bitPattern: bits)
    }
    return values
    #endif
}

private func appendLittleEndian(_ tensor: IntegerTensor, to bytes: inout [UInt8]) {
    switch tensor.dtype {
    case .i8:
        bytes.append(contentsOf: tensor.values.lazy.map { UInt8(bitPattern: Int8($0)) })
    case .i32:
        bytes.reserveCapacity(bytes.count + tensor.values.count * 4)
        for value in tensor.values {
            var bits = value.littleEndian
            withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
        }
    }
}

private func readLittleEndianIntegers(_ bytes: [UInt8], from start: Int, count: Int, dtype: IntegerDType) -> [Int32] {
    switch dtype {
    case .i8:
        return bytes[start..<start + count].map { Int32(Int8(bitPattern: $0)) }
    case .i32:
        return (0..<count).map { i in
            let base = start + 4 * i
            return Int32(bitPattern: UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8
                | UInt32(bytes[base + 2]) << 16 | UInt32(bytes[base + 3]) << 24)
        }
    }
}
