/// Applies an `Optimizer` to every parameter of one or more `ParameterContainer`s, keeping one
/// state per parameter under its full name (`fc.weight`): the rule itself never sees a layer.
///
///     var adam = ParameterOptimizer(Adam())
///     adam.step(&fc, module: "fc", learningRate: 1e-3)
public struct ParameterOptimizer<Rule: Optimizer>: Sendable {
    /// The update rule.
    public let rule: Rule
    /// Per-parameter state by full name (public so checkpoints can save and restore it).
    public var states: [String: Rule.State] = [:]

    /// An optimizer applying `rule`, with no state yet.
    public init(_ rule: Rule) {
        self.rule = rule
    }

    /// One update of every parameter of `container`, named `module.name`.
    public mutating func step<Container: ParameterContainer>(_ container: inout Container, module: String, learningRate: Float) {
        let rule = self.rule
        // Updated in place through the dictionary, so the moments are never copied.
        var states = self.states
        self.states = [:]
        container.forEachParameter { name, _, value, gradient in
            let key = module.isEmpty ? name : "\(module).\(name)", count = value.count
            rule.update(&value, gradient: gradient, state: &states[key, default: rule.makeState(count: count)],
                        learningRate: learningRate)
        }
        self.states = states
    }
}
