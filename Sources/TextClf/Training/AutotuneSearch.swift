import Foundation

/// How `textclf autotune` picks the next trial, after fastText's autotune: the first trials are
/// the starting points (one per architecture), every later one is a random perturbation of the
/// best candidate so far, and the perturbations shrink as the budget is used up.
///
/// A spread falls linearly from its start to its end value while the used share t of the budget
/// goes from 0.25 to 0.75, and stays put outside that range, as fastText's does. Sizes and rates
/// move by factors 2^N(0, σ²); dropout, n-gram lengths and list positions (kernel sizes, subword
/// ranges, minimum counts) move by N(0, σ²), rounded; the optimizer, schedule and pooling flip
/// with a probability that falls the same way. Each trial perturbs the best candidate of one
/// architecture: the best architecture's, or with a falling probability any architecture's.
/// Every draw comes from one generator seeded by the seed, so a search with a fixed number of
/// trials is reproducible.
struct AutotuneSearch {
    /// The kernel-size choices of the cnn, ordered by the widths they cover.
    static let kernelSizeChoices: [[Int]] = [[1, 2, 3], [2, 3, 4], [3, 4, 5], [2, 3, 4, 5], [3, 4, 5, 6], [3, 5, 7]]
    /// The subword ranges (minn, maxn): off, 2–5, 3–6, as fastText's autotune tries them.
    static let subwordChoices: [(minn: Int, maxn: Int)] = [(0, 0), (2, 5), (3, 6)]
    /// The minimum counts.
    static let minCountChoices = [1, 2, 3, 5]
    /// How far a perturbation may take a rate from its architecture's base rate, either way.
    static let learningRateFactor = 32.0

    let architectures: [ClassifierConfiguration.Architecture]
    /// Whether subwords may be searched (not at character level).
    let subwords: Bool
    /// The range of the hashed-row count.
    let bucketRange: ClosedRange<Int>
    private var pendingStarts: [AutotuneCandidate]
    private var starts: [ClassifierConfiguration.Architecture: AutotuneCandidate] = [:]
    private var best: [ClassifierConfiguration.Architecture: (candidate: AutotuneCandidate, score: Double)] = [:]
    private var bestArchitecture: ClassifierConfiguration.Architecture?
    private var bestScore: Double?
    private var tried: Set<AutotuneCandidate> = []
    private var generator: SeededGenerator

    /// A search that begins with `starts` (one per architecture, in order).
    init(starts: [AutotuneCandidate], seed: UInt64, subwords: Bool, bucketRange: ClosedRange<Int>) {
        pendingStarts = starts
        architectures = starts.map(\.arch)
        for start in starts { self.starts[start.arch] = start }
        self.subwords = subwords
        self.bucketRange = bucketRange
        generator = SeededGenerator(seed: mix(seed, 0xA070_7E5E, 0))
    }

    /// The next candidate to train: a starting point while any is left, then a perturbation
    /// that has not been tried and that `accept` takes (at most 100 draws; nil when none is).
    /// - Parameters:
    ///   - progress: the share of the budget used so far, in [0, 1].
    ///   - accept: whether a candidate may be trained (the model-size limit).
    mutating func next(progress: Double, accept: (AutotuneCandidate) throws -> Bool) rethrows -> AutotuneCandidate? {
        if !pendingStarts.isEmpty {
            let start = pendingStarts.removeFirst()
            tried.insert(start)
            return start
        }
        let t = min(max(progress, 0), 1)
        for _ in 0..<100 {
            let arch = chooseArchitecture(t)
            let candidate = perturb(best[arch]?.candidate ?? starts[arch]!, t: t)
            if !tried.contains(candidate), try accept(candidate) {
                tried.insert(candidate)
                return candidate
            }
        }
        return nil
    }

    /// Records a trial's score; a better one becomes its architecture's centre (ties keep the
    /// earlier trial).
    mutating func record(_ candidate: AutotuneCandidate, score: Double) {
        if best[candidate.arch].map({ score > $0.score }) ?? true { best[candidate.arch] = (candidate, score) }
        if bestScore.map({ score > $0 }) ?? true { (bestScore, bestArchitecture) = (score, candidate.arch) }
    }

    /// σ (or a probability) that goes from `start` to `end` as t goes from 0.25 to 0.75.
    static func spread(_ start: Double, _ end: Double, _ t: Double) -> Double {
        start - (start - end) * min(0.5, max(t - 0.25, 0)) / 0.5
    }

    private mutating func chooseArchitecture(_ t: Double) -> ClassifierConfiguration.Architecture {
        let explore = Double(generator.nextUniform()) < Self.spread(0.5, 0.1, t)
        if explore || bestArchitecture == nil { return architectures[generator.nextInt(below: architectures.count)] }
        return bestArchitecture!
    }

    private mutating func perturb(_ centre: AutotuneCandidate, t: Double) -> AutotuneCandidate {
        var c = centre
        let flip = Self.spread(0.3, 0.05, t)
        if c.arch == .pool && chance(flip) {
            let other: TrainingOptions.OptimizerKind = c.optimizer == .sgd ? .adam : .sgd
            c.learningRate *= AutotuneCandidate.baseLearningRate(arch: .pool, optimizer: other)
                / AutotuneCandidate.baseLearningRate(arch: .pool, optimizer: c.optimizer)
            c.optimizer = other
        }
        let base = AutotuneCandidate.baseLearningRate(arch: c.arch, optimizer: c.optimizer)
        c.learningRate = threeDigits(scale(c.learningRate, Self.spread(1.5, 0.5, t),
                                           within: base / Self.learningRateFactor...base * Self.learningRateFactor))
        if chance(flip) { c.schedule = c.schedule == .constant ? .linear : .constant }
        c.epochs = Int(scale(Double(c.epochs), Self.spread(1.0, 0.5, t), within: 1...50).rounded())
        c.dim = Int(scale(Double(c.dim), Self.spread(1.0, 0.3, t), within: 8...300).rounded())
        if c.arch.isRecurrent {
            c.hidden = Int(scale(Double(c.hidden), Self.spread(1.0, 0.3, t), within: 16...256).rounded())
            if chance(flip) {
                let others = [ClassifierConfiguration.Pooling.last, .max, .mean].filter { $0 != c.pooling }
                c.pooling = others[generator.nextInt(below: others.count)]
            }
        }
        let dropout = Double(c.dropout) + normal(Self.spread(0.2, 0.05, t))
        c.dropout = Float(String(format: "%.2f", (min(max(dropout, 0), 0.7) * 20).rounded() / 20))!
        if c.arch == .cnn {
            let index = Self.kernelSizeChoices.firstIndex(of: c.kernelSizes) ?? 2
            c.kernelSizes = Self.kernelSizeChoices[step(index, Self.spread(1.5, 0.7, t), count: Self.kernelSizeChoices.count)]
        }
        if c.arch == .pool {
            c.wordNgrams = min(max(Int((Double(c.wordNgrams) + normal(Self.spread(1.5, 0.7, t))).rounded()), 1), 4)
        }
        if subwords {
            let index = Self.subwordChoices.firstIndex { $0 == (c.minn, c.maxn) } ?? 0
            (c.minn, c.maxn) = Self.subwordChoices[step(index, Self.spread(1.5, 0.7, t), count: Self.subwordChoices.count)]
        }
        if c.wordNgrams > 1 || c.minn > 0 {
            let buckets = scale(Double(c.buckets), Self.spread(1.0, 0.5, t),
                                within: Double(bucketRange.lowerBound)...Double(bucketRange.upperBound))
            c.buckets = min(max(Int((buckets / 1000).rounded()) * 1000, bucketRange.lowerBound), bucketRange.upperBound)
        }
        let countIndex = Self.minCountChoices.firstIndex(of: c.minCount) ?? 0
        c.minCount = Self.minCountChoices[step(countIndex, Self.spread(1.0, 0.5, t), count: Self.minCountChoices.count)]
        return c
    }

    private mutating func normal(_ sigma: Double) -> Double {
        Double(generator.nextNormal()) * sigma
    }

    private mutating func chance(_ probability: Double) -> Bool {
        Double(generator.nextUniform()) < probability
    }

    /// `value` · 2^N(0, σ²), clamped to `range`.
    private mutating func scale(_ value: Double, _ sigma: Double, within range: ClosedRange<Double>) -> Double {
        min(max(value * Foundation.pow(2, normal(sigma)), range.lowerBound), range.upperBound)
    }

    /// A list position moved by N(0, σ²), rounded and clamped to 0..<count.
    private mutating func step(_ index: Int, _ sigma: Double, count: Int) -> Int {
        min(max(Int((Double(index) + normal(sigma)).rounded()), 0), count - 1)
    }

    /// `value` rounded to three significant digits, as the command line prints it.
    private func threeDigits(_ value: Double) -> Double {
        Double(String(format: "%.3g", value))!
    }
}
