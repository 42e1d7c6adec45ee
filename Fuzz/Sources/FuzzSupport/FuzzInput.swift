import Foundation

/// The bytes libFuzzer hands a target, with the helpers every target needs.
public struct FuzzInput {
    public let bytes: [UInt8]

    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    }

    /// The first byte (choosing options or a format) and the rest.
    public var selector: UInt8 { bytes.first ?? 0 }
    public var payload: [UInt8] { Array(bytes.dropFirst()) }

    /// Writes `bytes` to a per-process scratch file with `suffix` (readers take paths) and
    /// returns its path; the same path is reused for every input.
    public static func scratchFile(_ bytes: [UInt8], suffix: String) -> String {
        let path = "/tmp/textclf-fuzz-\(getpid())\(suffix)"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
}
