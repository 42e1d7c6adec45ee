import Foundation

/// One trial of an autotune search: a candidate trained on the training data and scored on the
/// validation data.
public struct AutotuneTrial: Sendable {
    /// How a trial ended.
    public enum Outcome: Equatable, Sendable {
        /// Trained; the metric on the validation data.
        case scored(Double)
        /// The loss became NaN or infinite; the candidate is skipped, as fastText skips it.
        case diverged
        /// The budget ran out (or a stop was requested) during the trial, which is discarded.
        case stopped
    }

    /// The trial's number, from 1.
    public var number: Int
    /// What was trained.
    public var candidate: AutotuneCandidate
    /// How it ended.
    public var outcome: Outcome
    /// Wall-clock seconds of training and scoring.
    public var seconds: Double
    /// Training throughput in tokens per second.
    public var tokensPerSecond: Double
    /// The estimated int8-quantized file size, when the search has a size limit.
    public var estimatedSize: Int?

    /// The metric, when the trial was scored.
    public var score: Double? {
        if case .scored(let score) = outcome { return score }
        return nil
    }
}

extension AutotuneTrial {
    /// Trains `candidate` on `data` as `TrainingJob` would train it (same initialisation, data
    /// and options, so the same weights) and scores the kept epoch's network with `metric`.
    /// - Parameters:
    ///   - stop: ends training at the next batch boundary when requested.
    ///   - progress: the trainer's events.
    /// - Throws: ``TrainingError/invalidOption(_:)`` for a bad thread count; a stop or a
    ///   divergence is an ``Outcome``, not an error.
    static func run(number: Int, candidate: AutotuneCandidate, data: AutotuneCorpus.Encoded, tokenizer: Tokenizer,
                    metric: AutotuneMetric, seed: UInt64, threads: Int, stop: StopRequest,
                    progress: (TrainingEvent) -> Void) throws -> AutotuneTrial {
        let started = Date()
        var tokens = 0.0, trainingSeconds = 0.0
        func trial(_ outcome: Outcome) -> AutotuneTrial {
            AutotuneTrial(number: number, candidate: candidate, outcome: outcome, seconds: Date().timeIntervalSince(started),
                          tokensPerSecond: trainingSeconds > 0 ? tokens / trainingSeconds : 0)
        }
        let configuration = candidate.configuration(tokenizer: tokenizer)
        let options = try candidate.trainingOptions(seed: seed, threads: threads)
        var generator = SeededGenerator(seed: options.seed)
        let network = Network(configuration: configuration, vocabularySize: data.vocabulary.count,
                              labelCount: data.labels.count, generator: &generator)
        var trainer = Trainer(network: network, objective: Objective(configuration: configuration, labelCount: data.labels.count),
                              options: options)
        do {
            _ = try trainer.train(on: data.train, valid: data.valid, control: TrainingControl(stop: stop)) { event in
                if case let .epoch(_, seconds, tokensPerSecond) = event {
                    trainingSeconds += seconds
                    tokens += tokensPerSecond * seconds
                }
                progress(event)
            }
        } catch is CancellationError {
            return trial(.stopped)
        } catch TrainingError.diverged {
            return trial(.diverged)
        }
        let score = try metric.evaluate(trainer.network, on: data.valid, labels: data.labels, threads: threads)
        return trial(.scored(score))
    }
}
