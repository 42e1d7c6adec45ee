import CKernels

/// The int8 product kernels of `CKernels`, one per instruction set. Every kernel computes the
/// same int32 sums and the same float operations after them, so all give bit-identical results;
/// they differ in speed only.
@_spi(Internals) public enum Int8Kernel: Int32, CaseIterable, Sendable {
    /// Plain C, for any CPU.
    case portable = 0
    /// AVX2 without VNNI: `vpmaddubsw` on |x| and the weights carrying x's sign, then `vpmaddwd`.
    case avx2 = 1
    /// AVX-VNNI: `vpdpbusd` on 256-bit vectors (VEX encoding).
    case avxVNNI = 2
    /// AVX-512 VNNI: `vpdpbusd` on 512-bit vectors.
    case avx512VNNI = 3
    /// The AVX-VNNI kernel's code in the EVEX encoding of the same instruction (AVX-512 VNNI + VL):
    /// never chosen by ``current``, it lets tests check the 256-bit VNNI code on CPUs that have
    /// AVX-512 VNNI but not AVX-VNNI.
    case vnni256EVEX = 4

    /// The kernel the library uses in this process: the widest VNNI kernel that the CPU has and
    /// `TEXTCLF_ISA` allows (`avx2` still allows AVX-VNNI), else AVX2, else portable.
    public static var current: Int8Kernel { Int8Kernel(rawValue: ckernels_int8_kernel())! }

    /// Whether this CPU (and its OS) can run the kernel; one it cannot run falls back to the
    /// next one down when asked for.
    public var isSupported: Bool { ckernels_int8_kernel_supported(rawValue) != 0 }

    /// Whether the kernel uses VNNI's `vpdpbusd`.
    public var usesVNNI: Bool { self == .avxVNNI || self == .avx512VNNI || self == .vnni256EVEX }

    /// A short name for reports: "portable", "avx2", "avx-vnni", "avx512-vnni" or "vnni256-evex".
    public var name: String {
        switch self {
        case .portable: "portable"
        case .avx2: "avx2"
        case .avxVNNI: "avx-vnni"
        case .avx512VNNI: "avx512-vnni"
        case .vnni256EVEX: "vnni256-evex"
        }
    }

    /// The kernels this CPU can run.
    public static var supported: [Int8Kernel] { allCases.filter(\.isSupported) }
}
