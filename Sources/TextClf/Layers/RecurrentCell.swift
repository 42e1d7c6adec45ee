/// The cell a `RecurrentStack` runs at every step: `TanhCell` (RNN), `LSTMCell` or `GRUCell`.
///
/// The protocol is sealed: its one requirement has a type that only this library can make, so
/// the three cells above are its only conformers. A cell's arithmetic (forward and backward
/// side by side, in `RNN.swift`, `LSTM.swift`, `GRU.swift`) works on raw pointers into the
/// stack's buffers and stays internal.
public protocol RecurrentCell: Sendable {
    /// The cell's shape and step functions, opaque outside the library.
    static var arithmetic: RecurrentCellArithmetic { get }
}

/// What the time loops of `RecurrentDirection` need from a cell, for one time step applied to a
/// block of `rows` sequences (those still running at that step, contiguous in the packed
/// layout). Opaque outside the library.
///
/// The time loop does the matrix products: before the loop it writes x·W_ihᵀ + b_ih of every
/// step into the gate buffer (plus b_hh, unless the cell separates the hidden projection), and
/// at each step it adds h_{t−1}·W_hhᵀ to it, or, for a cell that separates it, writes
/// h_{t−1}·W_hhᵀ + b_hh into a projection buffer. The cell applies its activations in place and
/// keeps what its backward step needs. Gates are stored fused as PyTorch stores them: a row holds
/// the `gateCount` gates of one sequence side by side, H values each.
public struct RecurrentCellArithmetic: Sendable {
    /// Gates per hidden unit: 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n).
    let gateCount: Int
    /// Per-step [rows, H] planes the cell caches besides its gates and output.
    let statePlanes: Int
    /// Whether h·W_hhᵀ + b_hh is kept apart from x·W_ihᵀ + b_ih rather than added to it, and so
    /// has its own gradient (GRU, whose candidate gate multiplies it by r).
    let separatesHiddenProjection: Bool
    let forward: @Sendable (RecurrentForwardStep) -> Void
    let backward: @Sendable (RecurrentBackwardStep) -> Void
}

/// The buffers of one forward step; every pointer addresses the step's first row.
struct RecurrentForwardStep {
    let rows: Int
    let hidden: Int
    /// Distance between state planes.
    let planeStride: Int
    /// [rows, gates·H]: the pre-activations on entry (x·W_ihᵀ + b_ih, plus h_{t−1}·W_hhᵀ + b_hh
    /// unless the cell separates it), the activated gates on exit.
    let gates: UnsafeMutablePointer<Float>
    /// [rows, gates·H], for a cell that separates it: h_{t−1}·W_hhᵀ + b_hh (just b_hh at t = 0).
    let projection: UnsafeMutablePointer<Float>
    /// [rows, H]: h_{t−1}, nil at t = 0 where it is zero.
    let previousOutput: UnsafePointer<Float>?
    /// State planes of step t − 1, nil at t = 0.
    let previousState: UnsafePointer<Float>?
    /// State planes of step t, written.
    let state: UnsafeMutablePointer<Float>
    /// [rows, H]: h_t, written.
    let output: UnsafeMutablePointer<Float>
}

/// The buffers of one backward step; every pointer addresses the step's first row.
struct RecurrentBackwardStep {
    let rows: Int
    let hidden: Int
    let planeStride: Int
    /// The activated gates cached by forward.
    let gates: UnsafePointer<Float>
    let previousOutput: UnsafePointer<Float>?
    let previousState: UnsafePointer<Float>?
    let state: UnsafePointer<Float>
    let output: UnsafePointer<Float>
    /// [rows, H]: dL/dh_t, everything that later steps and the layer above sent back.
    let outputGradient: UnsafePointer<Float>
    /// [rows, gates·H], written: dL/d(x·W_ihᵀ + b_ih).
    let gateGradient: UnsafeMutablePointer<Float>
    /// [rows, gates·H], written by a cell that separates the hidden projection: its gradient.
    let projectionGradient: UnsafeMutablePointer<Float>
    /// [rows, H]: dL/dh_{t−1}, to which a cell adds the part that bypasses W_hh; nil at t = 0.
    let previousOutputGradient: UnsafeMutablePointer<Float>?
    /// [rows, H]: gradient carried along a cell state (LSTM's c) from step t + 1, zero for rows
    /// whose sequence ends at t; replaced by the gradient for step t − 1.
    let stateGradient: UnsafeMutablePointer<Float>
}
