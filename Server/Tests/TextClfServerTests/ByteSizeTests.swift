import Testing
@testable import TextClfServer

@Suite("Sizes")
struct ByteSizeTests {
    @Test("K and M are powers of ten, KiB and MiB powers of two")
    func suffixes() {
        #expect(ByteSize("1MiB")?.bytes == 1_048_576)
        #expect(ByteSize("4KiB")?.bytes == 4096)
        #expect(ByteSize("500K")?.bytes == 500_000)
        #expect(ByteSize("2M")?.bytes == 2_000_000)
        #expect(ByteSize("65536")?.bytes == 65536)
        for bad in ["", "MiB", "1MB", "1.5M", "-1K", "1 K", "99999999999999999999M"] {
            #expect(ByteSize(bad) == nil, "\(bad)")
        }
    }
}
