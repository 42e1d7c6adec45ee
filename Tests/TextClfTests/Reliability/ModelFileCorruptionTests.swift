import Foundation
import Testing
@testable import TextClf

/// Model files that were truncated, bit-flipped or written with hostile values: every one is a
/// `ModelFileError` (never a trap), exhaustively over a small example of each architecture.
@Suite("model files: truncation, bit flips and hostile values")
struct ModelFileCorruptionTests {
    static let archs = ClassifierConfiguration.Architecture.allCases

    @Test(arguments: archs)
    func everyTruncationIsRefused(_ arch: ClassifierConfiguration.Architecture) throws {
        let bytes = HostileModelFiles.bytes(arch)
        try HostileModelFiles.load(bytes)
        for length in 0..<bytes.count {
            #expect(throws: ModelFileError.self, "cut at \(length) of \(bytes.count)") {
                try HostileModelFiles.load(Array(bytes.prefix(length)))
            }
        }
    }

    /// A flipped bit in the length or the header is refused, except where it cannot change the
    /// model (the padding after the JSON). A flipped data bit breaks the checksum.
    @Test(arguments: archs)
    func everyHeaderBitFlipIsRefusedOrHarmless(_ arch: ClassifierConfiguration.Architecture) throws {
        let bytes = HostileModelFiles.bytes(arch)
        let original = try HostileModelFiles.load(bytes)
        let headerEnd = 8 + (Int(bytes[0]) | Int(bytes[1]) << 8)
        var accepted = 0
        for offset in 0..<headerEnd {
            for bit in 0..<8 {
                var flipped = bytes
                flipped[offset] ^= UInt8(1 << bit)
                do {
                    let loaded = try HostileModelFiles.load(flipped)
                    accepted += 1
                    #expect(loaded.configuration == original.configuration && loaded.labels == original.labels
                            && loaded.network.tensors == original.network.tensors, "offset \(offset) bit \(bit)")
                } catch {
                    #expect(error is ModelFileError, "offset \(offset) bit \(bit): \(error)")
                }
            }
        }
        #expect(accepted < headerEnd, "nearly every flip must be refused")
        for offset in stride(from: headerEnd, to: bytes.count, by: 3) {
            var flipped = bytes
            flipped[offset] ^= UInt8(1 << (offset % 8))
            #expect(throws: ModelFileError.checksumMismatch("m")) { try HostileModelFiles.load(flipped) }
        }
    }

    @Test func shapesTooLargeToAddressAreRefusedWhileParsing() {
        for entry in ["{\"dtype\":\"F32\",\"shape\":[3037000500,3037000500],\"data_offsets\":[0,8]}",
                      "{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,8]}",
                      "{\"dtype\":\"F32\",\"shape\":[18446744073709551615],\"data_offsets\":[0,8]}",
                      "{\"dtype\":\"F32\",\"shape\":[-2,-1],\"data_offsets\":[0,8]}",
                      "{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}",
                      "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}",
                      "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[9223372036854775800,9223372036854775807]}",
                      "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]}",
                      "{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}",
                      "{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}",
                      "{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}"] {
            let bytes = HostileModelFiles.handWritten(entry: entry, dataBytes: 8)
            #expect(throws: ModelFileError.self, "\(entry)") { try HostileModelFiles.load(bytes) }
        }
        var hugeLength = HostileModelFiles.handWritten(entry: "{}", dataBytes: 0)
        for i in 0..<8 { hugeLength[i] = 0xFF }
        #expect(throws: ModelFileError.self) { try HostileModelFiles.load(hugeLength) }
    }

    /// Valid checksums over values the network cannot use: each refused by name.
    @Test func validChecksumOverHostileValuesIsRefused() throws {
        func refused(_ edit: (inout ClassifierConfiguration) -> Void, _ arch: ClassifierConfiguration.Architecture = .lstm) -> [UInt8] {
            var file = HostileModelFiles.model(HostileModelFiles.configuration(arch))
            var configuration = HostileModelFiles.configuration(arch)
            edit(&configuration)
            file.config = configuration.json()
            return file.serialized()
        }
        let cases: [(String, [UInt8])] = [
            ("dropout 1.5 is outside [0, 1)", refused { $0.dropout = 1.5 }),
            ("dropout -0.5 is outside [0, 1)", refused { $0.dropout = -0.5 }),
            ("dim -64 is below 1", refused { $0.dim = -64 }),
            ("hidden 0 is below 1", refused { $0.hidden = 0 }),
            ("layers 0 is below 1", refused { $0.layers = 0 }),
            ("max_length 0 is below 1", refused { $0.maxLength = 0 }),
            ("filters 0 is below 1", refused({ $0.filters = 0 }, .cnn)),
            ("kernel size -3 is below 1", refused({ $0.kernelSizes = [2, -3] }, .cnn)),
            ("kernel_sizes is empty", refused({ $0.kernelSizes = [] }, .cnn)),
            ("kernel size 100000000 is above 1024", refused({ $0.kernelSizes = [100_000_000] }, .cnn)),
            ("last pooling needs a recurrent arch", refused({ $0.pooling = .last }, .pool)),
            ("ce loss cannot be multi-label", refused { $0.multilabel = true }),
        ]
        for (reason, bytes) in cases {
            do {
                try HostileModelFiles.load(bytes)
                Issue.record("accepted: \(reason)")
            } catch let ModelFileError.invalidConfiguration(_, found) {
                #expect(found.hasPrefix(reason), "\(found)")
            } catch {
                Issue.record("\(reason): \(error)")
            }
        }
        #expect(throws: ModelFileError.malformed("m", reason: "tensor 'fc.weight' should have shape [2, 4], found [2, 2]")) {
            try HostileModelFiles.load(refused { $0.hidden = 4 })
        }
        #expect(throws: ModelFileError.self) { try HostileModelFiles.load(refused { $0.hidden = Int.max / 2 }) }

        var oneLabel = HostileModelFiles.model(HostileModelFiles.configuration(.pool))
        oneLabel.labels = ["only"]
        #expect(throws: ModelFileError.self) { try HostileModelFiles.load(oneLabel.serialized()) }
        var twice = HostileModelFiles.model(HostileModelFiles.configuration(.pool))
        twice.labels = ["x", "x"]
        #expect(throws: ModelFileError.malformed("m", reason: "a label appears twice")) { try HostileModelFiles.load(twice.serialized()) }
        var duplicateToken = HostileModelFiles.model(HostileModelFiles.configuration(.pool))
        duplicateToken.vocabulary = ["<pad>", "<unk>", "a", "a", "b"]
        #expect(throws: ModelFileError.self) { try HostileModelFiles.load(duplicateToken.serialized()) }
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteWeightsAreRefused(_ value: Float) throws {
        var file = HostileModelFiles.model(HostileModelFiles.configuration(.gru))
        file.tensors["fc.weight"]!.values[1] = value
        #expect(throws: ModelFileError.nonFiniteWeight("m", tensor: "fc.weight")) { try HostileModelFiles.load(file.serialized()) }
    }

    @Test func otherKindsAndVersionsAreRefused() throws {
        var container = try Safetensors(bytes: HostileModelFiles.bytes(.pool), name: "m")
        container.metadata["format_version"] = "0"
        #expect(throws: ModelFileError.self) { try HostileModelFiles.load(container.serialized()) }
        container.metadata["format_version"] = "99999999999999999999"
        #expect(throws: ModelFileError.self) { try HostileModelFiles.load(container.serialized()) }
        container.metadata["format"] = "textclf-checkpoint"
        #expect(throws: ModelFileError.notAModel("m")) { try HostileModelFiles.load(container.serialized()) }
        let vocabulary = Array("#textclf-vocab 1 level=char lowercase=false normalize=none keep_punctuation=false\n".utf8)
        #expect(throws: ModelFileError.notAModel("m")) { try HostileModelFiles.load(vocabulary) }
    }
}
