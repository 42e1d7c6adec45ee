import Foundation
import Testing
import TextClf

/// The library as a user package sees it (plain `import TextClf`): thread counts given to the
/// work, models from bytes, training from memory, errors instead of traps, reports as values.
@Suite("library API")
struct LibraryAPITests {
    static let model = TestPaths.fixtures.appendingPathComponent("models/cnn_words_mean.safetensors")
    static let lines = ["the kernel loads the module", "", "ls lists files", "un deux trois", "banana", "xyz 42"]

    @Test func classifierResultsAreIdenticalForAnyThreadCount() throws {
        let one = try Classifier(contentsOf: Self.model, threads: 1)
        let two = try Classifier(contentsOf: Self.model, threads: 2)
        let texts = (0..<300).map { Self.lines[$0 % Self.lines.count] + " \($0)" }
        let reference = one.probabilities(texts).rows
        #expect(two.probabilities(texts).rows == reference)
        #expect(one.probabilities(texts, threads: 3).rows == reference)
        #expect(one.predict(batch: texts, k: 2) == two.predict(batch: texts, k: 2, threads: 1))
        #expect(one.threads == 1 && two.threads == 2)
    }

    @Test func classifierLoadsFromData() throws {
        let fromFile = try Classifier(contentsOf: Self.model)
        let fromData = try Classifier(data: Data(contentsOf: Self.model))
        #expect(fromData.labels == fromFile.labels)
        #expect(fromData.probabilities(Self.lines).rows == fromFile.probabilities(Self.lines).rows)
        #expect(throws: ModelFileError.notAModel("model data")) { try Classifier(data: Data("not a model".utf8)) }
    }

    @Test func missingModelSaysTheSystemsReason() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/model.safetensors")
        do {
            _ = try Classifier(contentsOf: missing)
            Issue.record("a missing model loaded")
        } catch {
            #expect(error.localizedDescription
                    == "/nonexistent/model.safetensors: cannot read the model file: No such file or directory")
        }
        #expect(throws: ModelFileError.unreadable("/nonexistent/model.safetensors", reason: "No such file or directory")) {
            try ModelInfo(contentsOf: missing)
        }
    }

    @Test func impossibleTrainingOptionsThrowWhenMade() throws {
        #expect(throws: TrainingError.invalidOption("epochs must be at least 1, not 0")) { try TrainingOptions(epochs: 0) }
        #expect(throws: TrainingError.invalidOption("the batch size must be at least 1, not -3")) {
            try TrainingOptions(batchSize: -3)
        }
        #expect(throws: TrainingError.self) { try TrainingOptions(learningRate: .nan) }
        #expect(throws: TrainingError.self) { try TrainingOptions(optimizer: .adam, momentum: 0.9) }
        #expect(throws: TrainingError.self) { try TrainingOptions(threads: 0) }
        let options = try TrainingOptions(optimizer: .sgd, momentum: 0.9, nesterov: true, epochs: 2, threads: 1)
        #expect(options.learningRate == 0.1 && options.epochs == 2 && options.threads == 1)
    }

    @Test func trainingJobTrainsFromMemoryAndTheModelClassifies() throws {
        var examples: [LabeledExample] = []
        for i in 0..<200 {
            examples.append(LabeledExample(text: "good fine great \(i % 7)", labels: ["pos"], line: 2 * i + 1))
            examples.append(LabeledExample(text: "bad awful poor \(i % 5)", labels: ["neg"], line: 2 * i + 2))
        }
        let options = try TrainingOptions(learningRate: 0.05, epochs: 3, threads: 2)
        let job = TrainingJob(train: .examples(examples), network: ClassifierConfiguration(arch: .pool, dim: 8),
                              options: options)
        let result = try job.run()
        #expect(result.labels == ["neg", "pos"])
        let classifier = try Classifier(file: result.model, name: "trained", threads: 1)
        #expect(classifier.predict("great fine", k: 1).first?.label == "pos")
        #expect(classifier.predict("awful poor", k: 1).first?.label == "neg")
        let reloaded = try Classifier(data: Data(result.model.serialized()))
        #expect(reloaded.probabilities(["good bad"]).rows == classifier.probabilities(["good bad"]).rows)
    }

    @Test func trainingJobRefusesBadSettingsBeforeReading() throws {
        var job = TrainingJob(train: .corpus(URL(fileURLWithPath: "/nonexistent.tsv")),
                              network: ClassifierConfiguration(arch: .pool), options: try TrainingOptions())
        job.validSplit = 1.5
        #expect(throws: TrainingError.invalidOption("the validation split must be between 0 and 1, not 1.5")) {
            try job.run()
        }
    }

    @Test func evaluationReportRoundTripsThroughItsJSON() throws {
        let files = ScratchDirectory()
        let corpus = files.write("test.txt", "__label__0 xyz\n__label__1 banana\n__label__1 cab\n")
        let classifier = try Classifier(contentsOf: TestPaths.fixtures.appendingPathComponent("models/rnn_last.safetensors"))
        let report = try EvaluationReport.evaluate(classifier, corpus: URL(fileURLWithPath: corpus), worst: 2)
        let json = report.json()
        #expect(json.hasPrefix("{\"accuracy\":"))
        #expect(json.contains("\"per_label\":{\"0\":{\"f1\":"))
        #expect(json.contains("\"confusion\":{\"labels\":[\"0\",\"1\"],\"matrix\":"))
        let decoded = try JSONDecoder().decode(EvaluationReport.self, from: Data(json.utf8))
        #expect(decoded == report)
        #expect(report.formattedText().hasPrefix("examples     3\naccuracy     "))
    }

    @Test func modelInfoRoundTripsThroughItsJSON() throws {
        let info = try ModelInfo(contentsOf: Self.model)
        let decoded = try JSONDecoder().decode(ModelInfo.self, from: Data(info.json().utf8))
        #expect(decoded == info)
        #expect(info.formattedText().contains("architecture cnn, embedding \(info.vocabularySize)×"))
    }

    /// The loop of the DocC article "Assembling your own network", as written there.
    @Test func articleNetworkLoopLearnsItsTwoExamples() throws {
        var generator = SeededGenerator(seed: 1)
        var embedding = Embedding(vocabularySize: 1000, dimension: 16, generator: &generator)
        var fc = Linear(inputSize: 16, outputSize: 2, generator: &generator)
        let objective = Objective(configuration: ClassifierConfiguration(arch: .pool), labelCount: 2)
        var optimizer = ParameterOptimizer(Adam())
        let ids = [5, 9, 12, 7, 3, 0]
        let lengths = [3, 2]
        let labels: [ArraySlice<Int32>] = [[1], [0]]
        var losses: [Double] = []
        for _ in 0..<100 {
            let (embedded, embeddingCache) = embedding.forward(ids: ids, lengths: lengths, maxLength: 3)
            let (pooled, poolCache) = MeanPooling().forward(embedded)
            let (logits, fcCache) = fc.forward(pooled)
            let loss = objective.lossAndGradient(logits: logits, labels: labels)
            embedding.backward(MeanPooling().backward(fc.backward(loss.logitsGradient, fcCache), poolCache),
                               embeddingCache)
            optimizer.step(&fc, module: "fc", learningRate: 0.01)
            SparseSGD().update(&embedding.weight.storage, gradient: embedding.gradient, learningRate: 0.1)
            fc.zeroGradients()
            embedding.gradient.zero()
            losses.append(loss.loss)
        }
        #expect(losses.last! < 0.1 && losses.last! < losses.first!)
    }
}
