/// The arithmetic of one recurrent cell for one time step, applied to a block of `rows` sequences
/// (the ones still running at that step, contiguous in the packed layout).
///
/// The recurrent stack does the matrix products: before the time loop it writes x·W_ihᵀ + b_ih of
/// every step into the gate buffer (plus b_hh, unless the cell separates the hidden projection),
/// and at each step it adds h_{t−1}·W_hhᵀ to it, or, for a cell that separates it, writes
/// h_{t−1}·W_hhᵀ + b_hh into a projection buffer. A cell applies its activations in place and
/// keeps what its backward step needs. Gates are stored fused as PyTorch stores them: a row holds
/// the `gateCount` gates of one sequence side by side, H values each.
///
/// Public so that `RNN`, `LSTM` and `GRU` can be one generic `RecurrentStack`; the step buffers
/// are made only by the stack.
public protocol RecurrentCell {
    /// Gates per hidden unit: 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n).
    static var gateCount: Int { get }
    /// Per-step [rows, H] planes a cell caches besides its gates and output.
    static var statePlanes: Int { get }
    /// Whether h·W_hhᵀ + b_hh is kept apart from x·W_ihᵀ + b_ih rather than added to it, and so
    /// has its own gradient (GRU, whose candidate gate multiplies it by r).
    static var separatesHiddenProjection: Bool { get }

    static func forward(_ step: RecurrentForwardStep)
    static func backward(_ step: RecurrentBackwardStep)
}

/// The buffers of one forward step; every pointer addresses the step's first row.
public struct RecurrentForwardStep {
    public let rows: Int
    public let hidden: Int
    /// Distance between state planes.
    public let planeStride: Int
    /// [rows, gates·H]: the pre-activations on entry (x·W_ihᵀ + b_ih, plus h_{t−1}·W_hhᵀ + b_hh
    /// unless the cell separates it), the activated gates on exit.
    public let gates: UnsafeMutablePointer<Float>
    /// [rows, gates·H], for a cell that separates it: h_{t−1}·W_hhᵀ + b_hh (just b_hh at t = 0).
    public let projection: UnsafeMutablePointer<Float>
    /// [rows, H]: h_{t−1}, nil at t = 0 where it is zero.
    public let previousOutput: UnsafePointer<Float>?
    /// State planes of step t − 1, nil at t = 0.
    public let previousState: UnsafePointer<Float>?
    /// State planes of step t, written.
    public let state: UnsafeMutablePointer<Float>
    /// [rows, H]: h_t, written.
    public let output: UnsafeMutablePointer<Float>
}

/// The buffers of one backward step; every pointer addresses the step's first row.
public struct RecurrentBackwardStep {
    public let rows: Int
    public let hidden: Int
    public let planeStride: Int
    /// The activated gates cached by forward.
    public let gates: UnsafePointer<Float>
    public let previousOutput: UnsafePointer<Float>?
    public let previousState: UnsafePointer<Float>?
    public let state: UnsafePointer<Float>
    public let output: UnsafePointer<Float>
    /// [rows, H]: dL/dh_t, everything later steps and the layer above sent back.
    public let outputGradient: UnsafePointer<Float>
    /// [rows, gates·H], written: dL/d(x·W_ihᵀ + b_ih).
    public let gateGradient: UnsafeMutablePointer<Float>
    /// [rows, gates·H], written by a cell that separates the hidden projection: its gradient.
    public let projectionGradient: UnsafeMutablePointer<Float>
    /// [rows, H]: dL/dh_{t−1}, to which a cell adds the part that bypasses W_hh; nil at t = 0.
    public let previousOutputGradient: UnsafeMutablePointer<Float>?
    /// [rows, H]: gradient carried along a cell state (LSTM's c) from step t + 1, zero for rows
    /// whose sequence ends at t; replaced by the gradient for step t − 1.
    public let stateGradient: UnsafeMutablePointer<Float>
}
